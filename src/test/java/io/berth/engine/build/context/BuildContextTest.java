package io.berth.engine.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;

class BuildContextTest {

    @TempDir
    Path temp;

    private BuildContext read(byte[] body, String dockerfile) throws IOException {
        Path workArea = Files.createTempDirectory(temp, "build-");
        return BuildContext.read(new ByteArrayInputStream(body), dockerfile, workArea);
    }

    private static ContextTar sample() {
        return new ContextTar().file("Dockerfile", "FROM scratch\nCOPY . /\n").dir("src").file("src/app.txt", "app\n");
    }

    @Test
    void readsEveryCompressionAndRecordsContentDigests() throws IOException {
        for (byte[] body : List.of(sample().tar(), sample().gzip(), sample().bzip2(), sample().xz())) {
            try (BuildContext context = read(body, "")) {
                assertThat(context.dockerfile()).isEqualTo("FROM scratch\nCOPY . /\n");
                assertThat(context.dockerfileName()).isEqualTo("Dockerfile");
                assertThat(context.root().resolve("src/app.txt")).hasContent("app");
                assertThat(context.contentDigest("src/app.txt"))
                        .contains(Digest.sha256("app\n".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void closingRemovesTheWorkArea() throws IOException {
        Path workArea = Files.createTempDirectory(temp, "build-");
        BuildContext context = BuildContext.read(new ByteArrayInputStream(sample().tar()), "", workArea);
        context.close();
        assertThat(workArea).doesNotExist();
    }

    @Test
    void anEntryLeavingTheContextIsRefusedAndNothingStays() throws IOException {
        Path workArea = Files.createTempDirectory(temp, "build-");
        byte[] evil = new ContextTar().file("Dockerfile", "FROM scratch\n").file("../escaped", "x").tar();
        assertThatThrownBy(() -> BuildContext.read(new ByteArrayInputStream(evil), "", workArea))
                .isInstanceOf(BerthException.class)
                .hasMessage("invalid build context: entry \"../escaped\": path \"../escaped\" has a \"..\" component");
        try (Stream<Path> left = Files.list(workArea)) {
            assertThat(left).isEmpty();
        }
        assertThat(temp.resolve("escaped")).doesNotExist();

        byte[] absolute = new ContextTar().file("/etc/evil", "x").tar();
        assertThatThrownBy(() -> read(absolute, "")).hasMessageContaining("absolute path \"/etc/evil\"");
        byte[] throughLink = new ContextTar().symlink("out", "/tmp").file("out/evil", "x").tar();
        assertThatThrownBy(() -> read(throughLink, "")).hasMessageContaining("\"out\" is a symlink");
    }

    @Test
    void dockerfileByNameInASubdirectoryAndTheLowerCaseFallback() throws IOException {
        byte[] nested = new ContextTar().dir("build").file("build/Dockerfile.dev", "FROM busybox\n").tar();
        try (BuildContext context = read(nested, "build/Dockerfile.dev")) {
            assertThat(context.dockerfile()).isEqualTo("FROM busybox\n");
        }
        byte[] lower = new ContextTar().file("dockerfile", "FROM lower\n").tar();
        try (BuildContext context = read(lower, "")) {
            assertThat(context.dockerfile()).isEqualTo("FROM lower\n");
            assertThat(context.dockerfileName()).isEqualTo("dockerfile");
        }
        assertThatThrownBy(() -> read(new ContextTar().file("other", "x").tar(), ""))
                .isInstanceOf(BerthException.class).hasMessage("Cannot locate specified Dockerfile: Dockerfile");
        assertThatThrownBy(() -> read(sample().tar(), "nope/Dockerfile"))
                .hasMessage("Cannot locate specified Dockerfile: nope/Dockerfile");
    }

    @Test
    void theClisDockerfileFromStdinIsReadThenIgnored() throws IOException {
        // docker build -f - . : the CLI adds the Dockerfile under a random name and lists it in .dockerignore.
        byte[] body = new ContextTar().file("app.txt", "app").file(".dockerfile.0123456789abcdef0123", "FROM stdin\n")
                .file(".dockerignore", "*.log\n\n.dockerfile.0123456789abcdef0123\n").file("debug.log", "x").tar();
        try (BuildContext context = read(body, ".dockerfile.0123456789abcdef0123")) {
            assertThat(context.dockerfile()).isEqualTo("FROM stdin\n");
            assertThat(context.root().resolve(".dockerfile.0123456789abcdef0123")).doesNotExist();
            assertThat(context.root().resolve("debug.log")).doesNotExist();
            assertThat(context.root().resolve(".dockerignore")).exists(); // not matched: COPY . copies it, as dockerd
            assertThat(context.root().resolve("app.txt")).exists();
        }
    }

    @Test
    void dockerignoreRemovesWhatItExcludesWithItsExceptions() throws IOException {
        byte[] body = new ContextTar().file("Dockerfile", "FROM x\n")
                .file(".dockerignore", "Dockerfile\n.dockerignore\ndocs\n!docs/keep.md\n**/*.tmp\n")
                .dir("docs").file("docs/keep.md", "k").file("docs/drop.md", "d").dir("docs/sub").file("docs/sub/x", "x")
                .dir("a").dir("a/b").file("a/b/c.tmp", "t").file("a/b/c.txt", "t").tar();
        try (BuildContext context = read(body, "")) {
            assertThat(context.dockerfile()).isEqualTo("FROM x\n");
            try (Stream<Path> walk = Files.walk(context.root())) {
                assertThat(walk.map(p -> context.root().relativize(p).toString()).sorted())
                        .containsExactly("", "a", "a/b", "a/b/c.txt", "docs", "docs/keep.md");
            }
            assertThat(context.contentDigest("docs/drop.md")).isEmpty();
        }
    }

    @Test
    void aBodyThatIsNoTarIsTheDockerfile() throws IOException {
        try (BuildContext context = read("FROM busybox\nRUN true\n".getBytes(StandardCharsets.UTF_8), "")) {
            assertThat(context.dockerfile()).isEqualTo("FROM busybox\nRUN true\n");
            try (Stream<Path> files = Files.list(context.root())) {
                assertThat(files).isEmpty();
            }
        }
    }
}
