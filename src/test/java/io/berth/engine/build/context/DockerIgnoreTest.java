package io.berth.engine.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

    @Test
    void theReferenceExample() {
        DockerIgnore ignore = DockerIgnore.parse("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
        assertThat(ignore.excludes("somedir/temporary.txt")).isTrue();
        assertThat(ignore.excludes("somedir/temp")).isTrue();
        assertThat(ignore.excludes("somedir/temp/inside")).isTrue(); // everything below an excluded directory
        assertThat(ignore.excludes("somedir/subdir/temporary.txt")).isTrue();
        assertThat(ignore.excludes("tempa")).isTrue();
        assertThat(ignore.excludes("tempb")).isTrue();
        assertThat(ignore.excludes("temp")).isFalse();
        assertThat(ignore.excludes("temporary.txt")).isFalse();
        assertThat(ignore.excludes("a/b/c/temporary.txt")).isFalse();
        assertThat(ignore.excludes("# comment")).isFalse();
    }

    @Test
    void doubleStarMatchesAnyNumberOfDirectories() {
        DockerIgnore go = DockerIgnore.parse("**/*.go\n");
        assertThat(go.excludes("main.go")).isTrue();
        assertThat(go.excludes("cmd/tool/main.go")).isTrue();
        assertThat(go.excludes("main.go.txt")).isFalse();
        DockerIgnore suffix = DockerIgnore.parse("**.md\n");
        assertThat(suffix.excludes("docs/deep/README.md")).isTrue();
        DockerIgnore under = DockerIgnore.parse("build/**\n");
        assertThat(under.excludes("build/out/app.jar")).isTrue();
        assertThat(under.excludes("build")).isFalse();
        DockerIgnore named = DockerIgnore.parse("**/node_modules\n");
        assertThat(named.excludes("node_modules/x/index.js")).isTrue();
        assertThat(named.excludes("web/node_modules/x/index.js")).isTrue();
        assertThat(named.excludes("my_node_modules")).isFalse();
        DockerIgnore middle = DockerIgnore.parse("a/**/z\n");
        assertThat(middle.excludes("a/z")).isTrue();
        assertThat(middle.excludes("a/b/c/z")).isTrue();
        assertThat(middle.excludes("a/b/c/zz")).isFalse();
    }

    @Test
    void exceptionsAndTheLastMatchingLineWins() {
        DockerIgnore readme = DockerIgnore.parse("*.md\n!README.md\n");
        assertThat(readme.excludes("CHANGES.md")).isTrue();
        assertThat(readme.excludes("README.md")).isFalse();
        assertThat(readme.hasExceptions()).isTrue();

        DockerIgnore secret = DockerIgnore.parse("*.md\n!README*.md\nREADME-secret.md\n");
        assertThat(secret.excludes("README-public.md")).isFalse();
        assertThat(secret.excludes("README-secret.md")).isTrue();
        assertThat(secret.excludes("other.md")).isTrue();

        DockerIgnore reversed = DockerIgnore.parse("!README*.md\n*.md\n");
        assertThat(reversed.excludes("README-public.md")).isTrue();

        DockerIgnore inside = DockerIgnore.parse("docs\n!docs/keep.txt\n");
        assertThat(inside.excludes("docs/drop.txt")).isTrue();
        assertThat(inside.excludes("docs/keep.txt")).isFalse();
    }

    @Test
    void patternsAreCleanedAndALeadingSlashIsTheContextRoot() {
        DockerIgnore ignore = DockerIgnore.parse("  /secrets/  \n./logs//*.log\n\n#*.txt\n");
        assertThat(ignore.excludes("secrets/key")).isTrue();
        assertThat(ignore.excludes("logs/app.log")).isTrue();
        assertThat(ignore.excludes("notes.txt")).isFalse();
        assertThat(ignore.excludes(".")).isFalse();
        assertThat(DockerIgnore.parse("*\n").excludes("Dockerfile")).isTrue();
    }

    @Test
    void classesAndEscapes() {
        DockerIgnore ignore = DockerIgnore.parse("file[0-9].txt\n[^a]*.log\nstar\\*\n");
        assertThat(ignore.excludes("file7.txt")).isTrue();
        assertThat(ignore.excludes("fileX.txt")).isFalse();
        assertThat(ignore.excludes("b.log")).isTrue();
        assertThat(ignore.excludes("a.log")).isFalse();
        assertThat(ignore.excludes("star*")).isTrue();
        assertThat(ignore.excludes("stars")).isFalse();
        assertThatThrownBy(() -> DockerIgnore.parse("file[.txt\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file[.txt");
        assertThatThrownBy(() -> DockerIgnore.parse("!\n")).hasMessage("illegal exclusion pattern: \"!\"");
    }

    @Test
    void goMatchAndClean() {
        assertThat(GoPaths.match("*.txt", "a.txt")).isTrue();
        assertThat(GoPaths.match("*.txt", "dir/a.txt")).isFalse();
        assertThat(GoPaths.match("dir/*", "dir/a.txt")).isTrue();
        assertThat(GoPaths.match("hom?", "home")).isTrue();
        assertThat(GoPaths.match("[a-c]x", "bx")).isTrue();
        assertThat(GoPaths.match("[^a-c]x", "bx")).isFalse();
        assertThat(GoPaths.match("[]a]", "]")).isTrue();
        assertThat(GoPaths.match("a\\*b", "a*b")).isTrue();
        assertThatThrownBy(() -> GoPaths.match("[", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoPaths.match("a\\", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThat(GoPaths.clean("a//b/./c/..")).isEqualTo("a/b");
        assertThat(GoPaths.clean("/../x")).isEqualTo("/x");
        assertThat(GoPaths.clean("../../x")).isEqualTo("../../x");
        assertThat(GoPaths.clean("")).isEqualTo(".");
        assertThat(GoPaths.clean("./")).isEqualTo(".");
    }
}
