package io.berth.engine.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.common.error.BerthException;

class DockerfileParserTest {

    private static Dockerfile parse(String content) {
        return DockerfileParser.parse(content, "Dockerfile");
    }

    private static List<Instruction> instructions(String content) {
        return parse(content).stages().get(0).instructions();
    }

    private static Instruction only(String content) {
        List<Instruction> instructions = instructions("FROM scratch\n" + content);
        assertThat(instructions).hasSize(1);
        return instructions.get(0);
    }

    private static String error(String content) {
        try {
            parse(content);
        } catch (DockerfileParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("no parse error for:\n" + content);
    }

    @Test
    void unknownInstructionNamesItsLineAsDockerdDoes() {
        assertThat(error("FROM busybox\n\nRUNN echo hi\n"))
                .isEqualTo("dockerfile parse error on line 3: unknown instruction: RUNN");
        assertThat(error("FROM busybox\nRUN a \\\n  b\nfoo bar\n"))
                .isEqualTo("dockerfile parse error on line 4: unknown instruction: FOO");
    }

    @Test
    void instructionsAreCaseInsensitiveAndLeadingSpaceIsIgnored() {
        Dockerfile file = parse("from busybox as Build\n   run echo hi\n\tCmd [\"sh\"]\n");
        Stage stage = file.stages().get(0);
        assertThat(stage.name()).isEqualTo("build");
        assertThat(stage.from().image()).isEqualTo("busybox");
        assertThat(stage.instructions()).containsExactly(
                new Instruction.Run(2, "run echo hi", CommandLine.shell("echo hi")),
                new Instruction.Cmd(3, "Cmd [\"sh\"]", CommandLine.exec(List.of("sh"))));
    }

    @Test
    void continuationJoinsLinesAndSkipsCommentsInside() {
        // The reference's example: the comment line inside the instruction is dropped, the rest joined.
        Instruction run = only("RUN echo hello \\\n# comment\nworld\n");
        assertThat(((Instruction.Run) run).command()).isEqualTo(CommandLine.shell("echo hello world"));
        assertThat(run.line()).isEqualTo(2);
        // Blanks after the escape still continue; continuation lines keep their leading whitespace.
        assertThat(((Instruction.Run) only("RUN a \\  \n    b\n")).command().arguments()).containsExactly("a     b");
    }

    @Test
    void emptyContinuationLinesAreSkippedWithAWarning() {
        Dockerfile file = parse("FROM scratch\nRUN a \\\n\n  \n  b\nRUN c\n");
        assertThat(file.stages().get(0).instructions()).extracting(Instruction::line).containsExactly(2, 6);
        assertThat(((Instruction.Run) file.stages().get(0).instructions().get(0)).command().arguments())
                .containsExactly("a   b");
        assertThat(file.warnings()).containsExactly("Empty continuation line found in: RUN a   b");
    }

    @Test
    void escapeDirectiveMakesBacktickTheEscapeCharacter() {
        // The reference's Windows example: with ` as the escape, a trailing \ is a plain character.
        Dockerfile file = parse("# escape=`\n\nFROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\\n");
        assertThat(file.escape()).isEqualTo('`');
        List<Instruction> instructions = file.stages().get(0).instructions();
        assertThat(instructions).hasSize(2);
        Instruction.Copy copy = (Instruction.Copy) instructions.get(0);
        assertThat(copy.sources()).containsExactly("testfile.txt");
        assertThat(copy.destination()).isEqualTo("c:\\");
        assertThat(((Instruction.Run) instructions.get(1)).command().arguments()).containsExactly("dir c:\\");

        // Without the directive, the same lines run together, as the reference shows.
        Instruction.Copy joined = (Instruction.Copy) parse(
                "FROM microsoft/nanoserver\nCOPY testfile.txt c:\\\nRUN dir c:\\\n").stages().get(0).instructions()
                .get(0);
        assertThat(joined.sources()).containsExactly("testfile.txt", "c:RUN", "dir");
        assertThat(joined.destination()).isEqualTo("c:");

        // And ` continues lines under the directive.
        Instruction.Run run = (Instruction.Run) parse("# escape=`\nFROM x\nRUN a `\n  b\n").stages().get(0)
                .instructions().get(0);
        assertThat(run.command().arguments()).containsExactly("a   b");
    }

    @Test
    void parserDirectivesFollowTheReferenceRules() {
        // Case-insensitive, spaces around = allowed; syntax is read and ignored.
        Dockerfile file = parse("#   SYNTAX = docker/dockerfile:1\n#Escape=`\nFROM x\n");
        assertThat(file.syntax()).isEqualTo("docker/dockerfile:1");
        assertThat(file.escape()).isEqualTo('`');
        // An unknown directive ends the directives: what follows is a comment.
        assertThat(parse("# unknowndirective=value\n# escape=`\nFROM x\n").escape()).isEqualTo('\\');
        // So does a comment, an empty line or an instruction.
        assertThat(parse("# About my dockerfile\n# escape=`\nFROM x\n").escape()).isEqualTo('\\');
        assertThat(parse("\n# escape=`\nFROM x\n").escape()).isEqualTo('\\');
        assertThat(parse("FROM x\n# escape=`\n").escape()).isEqualTo('\\');
        // Twice is an error, and so is an escape character other than \ and `.
        assertThat(error("# escape=\\\n# escape=`\nFROM x\n"))
                .isEqualTo("dockerfile parse error on line 2: only one escape parser directive can be used");
        assertThat(error("# escape=x\nFROM x\n"))
                .isEqualTo("dockerfile parse error on line 1: invalid escape token 'x' does not match ` or \\");
    }

    @Test
    void byteOrderMarkAndCrLfLineEndingsAreRead() {
        Dockerfile file = parse("\uFEFF# escape=`\r\nFROM busybox\r\nRUN a `\r\n b\r\n");
        assertThat(file.escape()).isEqualTo('`');
        assertThat(((Instruction.Run) file.stages().get(0).instructions().get(0)).command().arguments())
                .containsExactly("a  b");
    }

    @Test
    void runCmdAndEntrypointTakeExecOrShellForm() {
        assertThat(((Instruction.Run) only("RUN [\"/bin/bash\", \"-c\", \"echo hello\"]")).command())
                .isEqualTo(CommandLine.exec(List.of("/bin/bash", "-c", "echo hello")));
        // Single quotes are no JSON: the shell runs it, as the reference warns.
        assertThat(((Instruction.Run) only("RUN [ 'echo', 'hi' ]")).command())
                .isEqualTo(CommandLine.shell("[ 'echo', 'hi' ]"));
        // Text after the array is no JSON either.
        assertThat(((Instruction.Cmd) only("CMD [\"a\"] b")).command().execForm()).isFalse();
        assertThat(error("FROM x\nCMD [\"a\", 1]\n")).isEqualTo("dockerfile parse error on line 2: when using JSON "
                + "array syntax, arrays must be comprised of strings only");
        assertThat(((Instruction.Entrypoint) only("ENTRYPOINT")).command()).isEqualTo(CommandLine.exec(List.of()));
        assertThat(((Instruction.Entrypoint) only("ENTRYPOINT exec top -b")).command())
                .isEqualTo(CommandLine.shell("exec top -b"));
        assertThat(error("FROM x\nRUN\n")).isEqualTo("dockerfile parse error on line 2: RUN requires at least one "
                + "argument");
        assertThat(CommandLine.shell("echo $HOME").withShell(List.of("/bin/sh", "-c")))
                .containsExactly("/bin/sh", "-c", "echo $HOME");
    }

    @Test
    void shellNeedsTheJsonForm() {
        assertThat(((Instruction.Shell) only("SHELL [\"powershell\", \"-command\"]")).shell())
                .containsExactly("powershell", "-command");
        assertThat(error("FROM x\nSHELL powershell -command\n"))
                .isEqualTo("dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form");
        assertThat(error("FROM x\nSHELL []\n"))
                .isEqualTo("dockerfile parse error on line 2: SHELL requires at least one argument");
    }

    @Test
    void copyAndAddTakeTheirFlags() {
        Instruction.Copy copy = (Instruction.Copy) only("COPY --from=build --chown=55:mygroup --chmod=644 files* "
                + "/somedir/");
        assertThat(copy).isEqualTo(new Instruction.Copy(2, "COPY --from=build --chown=55:mygroup --chmod=644 "
                + "files* /somedir/", false, List.of("files*"), "/somedir/", "build", "55:mygroup", "644", false));
        Instruction.Copy add = (Instruction.Copy) only("ADD --link [\"hom?.txt\", \"my dir/\"]");
        assertThat(add.add()).isTrue();
        assertThat(add.link()).isTrue();
        assertThat(add.sources()).containsExactly("hom?.txt");
        assertThat(add.destination()).isEqualTo("my dir/");
        assertThat(add.keyword()).isEqualTo("ADD");
        // Quotes in a flag's value are removed.
        assertThat(((Instruction.Copy) only("COPY --chown=\"a b\" x /y")).chown()).isEqualTo("a b");

        assertThat(error("FROM x\nCOPY only-one\n")).isEqualTo("dockerfile parse error on line 2: COPY requires at "
                + "least two arguments, but only one was provided. Destination could not be determined");
        assertThat(error("FROM x\nCOPY --foo=bar a b\n"))
                .isEqualTo("dockerfile parse error on line 2: unknown flag: --foo");
        assertThat(error("FROM x\nADD --from=build a b\n"))
                .isEqualTo("dockerfile parse error on line 2: unknown flag: --from");
        assertThat(error("FROM x\nCOPY --chown a b\n"))
                .isEqualTo("dockerfile parse error on line 2: missing a value on flag: --chown");
        assertThat(error("FROM x\nCOPY --chown=1 --chown=2 a b\n"))
                .isEqualTo("dockerfile parse error on line 2: duplicate flag specified: --chown");
        assertThat(error("FROM x\nCOPY --link=maybe a b\n"))
                .isEqualTo("dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe");
        assertThat(error("FROM x\nCOPY --parents a/b c\n")).contains("COPY --parents is a BuildKit feature");
        assertThat(error("FROM x\nADD --checksum=sha256:abc http://x/y /z\n"))
                .contains("ADD --checksum is a BuildKit feature");
    }

    @Test
    void buildKitRunFlagsAndHereDocumentsAreRefusedClearly() {
        assertThat(error("FROM x\nRUN --mount=type=cache,target=/root/.m2 mvn package\n"))
                .isEqualTo("dockerfile parse error on line 2: RUN --mount is a BuildKit feature; this Engine builds "
                        + "with the classic builder, which does not support it");
        assertThat(error("FROM x\nRUN <<EOF\necho hi\nEOF\n"))
                .startsWith("dockerfile parse error on line 2: here-documents (RUN ... <<EOF) are a BuildKit feature");
        assertThat(error("FROM x\nRUN cat << EOF > /f\n")).contains("here-documents (RUN ... << EOF)");
        assertThat(error("FROM x\nCOPY <<EOF /f\n")).contains("here-documents (COPY ... <<EOF)");
        // Quoted or inside a word, << is the shell's business.
        assertThat(((Instruction.Run) only("RUN echo \"<<EOF\" a<<b")).command().arguments())
                .containsExactly("echo \"<<EOF\" a<<b");
        assertThat(((Instruction.Run) only("RUN [\"sh\", \"-c\", \"cat <<EOF\"]")).command().execForm()).isTrue();
    }

    @Test
    void envAndLabelKeepQuotesForTheEvaluationAndReadTheLegacyForm() {
        Instruction.Env env = (Instruction.Env) only(
                "ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy");
        assertThat(env.variables()).containsExactly(new KeyValue("MY_NAME", "\"John Doe\""),
                new KeyValue("MY_DOG", "Rex\\ The\\ Dog"), new KeyValue("MY_CAT", "fluffy"));
        // The legacy form: one variable, the rest of the line its value, as the reference's ONE example shows.
        assertThat(((Instruction.Env) only("ENV ONE TWO= THREE=world")).variables())
                .containsExactly(new KeyValue("ONE", "TWO= THREE=world"));
        Instruction.Label label = (Instruction.Label) only("LABEL \"com.example.vendor\"=\"ACME Incorporated\" "
                + "version=\"1.0\" description=\"This text illustrates \\\nthat label-values can span multiple lines.\"");
        assertThat(label.labels()).containsExactly(
                new KeyValue("\"com.example.vendor\"", "\"ACME Incorporated\""),
                new KeyValue("version", "\"1.0\""),
                new KeyValue("description", "\"This text illustrates that label-values can span multiple lines.\""));
        assertThat(error("FROM x\nENV a=1 b\n")).isEqualTo("dockerfile parse error on line 2: Syntax error - can't "
                + "find = in \"b\". Must be of the form: name=value");
        assertThat(error("FROM x\nENV lonely\n"))
                .isEqualTo("dockerfile parse error on line 2: ENV must have two arguments");
        assertThat(error("FROM x\nLABEL =x\n"))
                .isEqualTo("dockerfile parse error on line 2: LABEL names can not be blank");
        assertThat(error("FROM x\nENV\n")).isEqualTo("dockerfile parse error on line 2: ENV requires at least one "
                + "argument");
    }

    @Test
    void argsBeforeTheFirstFromAreMetaArgs() {
        Dockerfile file = parse("ARG  CODE_VERSION=latest\nARG other\nFROM base:${CODE_VERSION}\nARG user1 "
                + "buildno=1 empty=\n");
        assertThat(file.metaArgs()).extracting(Instruction.Arg::arguments).containsExactly(
                List.of(new KeyValue("CODE_VERSION", "latest")), List.of(new KeyValue("other", null)));
        assertThat(file.stages().get(0).from().image()).isEqualTo("base:${CODE_VERSION}");
        assertThat(((Instruction.Arg) file.stages().get(0).instructions().get(0)).arguments()).containsExactly(
                new KeyValue("user1", null), new KeyValue("buildno", "1"), new KeyValue("empty", ""));
        assertThat(error("RUN echo\nFROM x\n"))
                .isEqualTo("dockerfile parse error on line 1: no build stage in current context");
    }

    @Test
    void singleArgumentInstructions() {
        assertThat(only("WORKDIR /path to/dir")).isEqualTo(new Instruction.Workdir(2, "WORKDIR /path to/dir",
                "/path to/dir"));
        assertThat(only("USER patrick:staff")).isEqualTo(new Instruction.User(2, "USER patrick:staff",
                "patrick:staff"));
        assertThat(only("STOPSIGNAL SIGKILL")).isEqualTo(new Instruction.StopSignal(2, "STOPSIGNAL SIGKILL",
                "SIGKILL"));
        assertThat(((Instruction.Maintainer) only("MAINTAINER Jane <jane@example.com>")).maintainer())
                .isEqualTo("Jane <jane@example.com>");
        assertThat(error("FROM x\nWORKDIR\n"))
                .isEqualTo("dockerfile parse error on line 2: WORKDIR requires exactly one argument");
    }

    @Test
    void exposeIsSortedAndVolumeTakesBothForms() {
        assertThat(((Instruction.Expose) only("EXPOSE 8080 80/udp 443")).ports())
                .containsExactly("443", "80/udp", "8080");
        assertThat(((Instruction.Volume) only("VOLUME [\"/data\", \"/var/log\"]")).paths())
                .containsExactly("/data", "/var/log");
        assertThat(((Instruction.Volume) only("VOLUME /var/log /var/db")).paths())
                .containsExactly("/var/log", "/var/db");
        assertThat(error("FROM x\nVOLUME [\"\"]\n"))
                .isEqualTo("dockerfile parse error on line 2: VOLUME specified can not be an empty string");
    }

    @Test
    void healthcheckWithOptionsAndNone() {
        Instruction.Health health = (Instruction.Health) only(
                "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --retries=4 \\\n  CMD curl -f "
                        + "http://localhost/ || exit 1");
        assertThat(health.healthcheck()).isEqualTo(new HealthcheckConfig(
                List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"), Duration.ofMinutes(5),
                Duration.ofSeconds(3), Duration.ofSeconds(90), Duration.ZERO, 4));
        assertThat(((Instruction.Health) only("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]")).healthcheck().test())
                .containsExactly("CMD", "/bin/check", "-q");
        assertThat(((Instruction.Health) only("HEALTHCHECK none")).healthcheck().disabled()).isTrue();
        assertThat(error("FROM x\nHEALTHCHECK NONE CMD true\n"))
                .isEqualTo("dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments");
        assertThat(error("FROM x\nHEALTHCHECK CMD\n"))
                .isEqualTo("dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD");
        assertThat(error("FROM x\nHEALTHCHECK RUN true\n"))
                .isEqualTo("dockerfile parse error on line 2: Unknown type \"RUN\" in HEALTHCHECK (try CMD)");
        assertThat(error("FROM x\nHEALTHCHECK --interval=1d CMD true\n"))
                .isEqualTo("dockerfile parse error on line 2: time: unknown unit \"d\" in duration \"1d\"");
        assertThat(error("FROM x\nHEALTHCHECK --interval=10 CMD true\n"))
                .isEqualTo("dockerfile parse error on line 2: time: missing unit in duration \"10\"");
        assertThat(error("FROM x\nHEALTHCHECK --timeout=10us CMD true\n"))
                .isEqualTo("dockerfile parse error on line 2: Interval \"timeout\" cannot be less than 1ms");
        assertThat(error("FROM x\nHEALTHCHECK --retries=-1 CMD true\n"))
                .isEqualTo("dockerfile parse error on line 2: --retries cannot be negative (-1)");
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void onbuildKeepsItsTriggerAndRefusesTheForbiddenOnes() {
        Instruction.OnBuild onBuild = (Instruction.OnBuild) only("onbuild ADD . /app/src");
        assertThat(onBuild.expression()).isEqualTo("ADD . /app/src");
        assertThat(onBuild.trigger()).isInstanceOf(Instruction.Copy.class);
        assertThat(error("FROM x\nONBUILD ONBUILD RUN x\n")).isEqualTo("dockerfile parse error on line 2: Chaining "
                + "ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        assertThat(error("FROM x\nONBUILD FROM y\n"))
                .isEqualTo("dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger");
        assertThat(error("FROM x\nONBUILD RUNN y\n"))
                .isEqualTo("dockerfile parse error on line 2: unknown instruction: RUNN");
    }

    @Test
    void stagesByNameIndexAndTarget() {
        Dockerfile file = parse("FROM --platform=linux/amd64 golang AS build\nRUN make\n"
                + "FROM busybox AS test\nCOPY --from=build /out /\nFROM build AS final\nCOPY --from=0 /a /b\n");
        assertThat(file.stages()).extracting(Stage::name).containsExactly("build", "test", "final");
        assertThat(file.stages().get(0).from().platform()).isEqualTo("linux/amd64");
        assertThat(file.stagesThrough("TEST")).extracting(Stage::name).containsExactly("build", "test");
        assertThat(file.stagesThrough(null)).hasSize(3);
        assertThat(file.steps(file.stagesThrough(null))).isEqualTo(6);
        assertThatThrownBy(() -> file.stagesThrough("nope")).isInstanceOf(BerthException.class)
                .hasMessage("failed to reach build target nope in Dockerfile");

        assertThat(file.earlierStage("build", 2, false)).map(Stage::index).contains(0);
        assertThat(file.earlierStage("0", 2, true)).map(Stage::index).contains(0);
        assertThat(file.earlierStage("0", 2, false)).isEmpty(); // FROM 0 is an image named 0
        assertThat(file.earlierStage("busybox", 2, true)).isEmpty();
        assertThat(file.earlierStage("final", 1, true)).isEmpty(); // a later stage's name is an image's
        assertThatThrownBy(() -> file.earlierStage("1", 1, true)).isInstanceOf(BerthException.class)
                .hasMessage("invalid from flag value 1: refers to current or future build stage");
    }

    @Test
    void fromSyntaxErrors() {
        assertThat(error("FROM a b\n"))
                .isEqualTo("dockerfile parse error on line 1: FROM requires either one or three arguments");
        assertThat(error("FROM a AS 1x\n")).isEqualTo("dockerfile parse error on line 1: invalid name for build "
                + "stage: \"1x\", name can't start with a number or contain symbols");
        assertThat(error("FROM a AS x\nFROM b AS X\n"))
                .isEqualTo("dockerfile parse error on line 2: duplicate stage name \"x\"");
        assertThat(error("ARG a\n")).isEqualTo(
                "dockerfile parse error on line 1: no build stage in current context: a Dockerfile needs a FROM");
        assertThatThrownBy(() -> parse("# just a comment\n\n")).isInstanceOf(BerthException.class)
                .hasMessage("the Dockerfile (Dockerfile) cannot be empty");
    }
}
