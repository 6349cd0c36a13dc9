package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.BerthProperties;
import io.berth.common.Digest;
import tools.jackson.databind.json.JsonMapper;

/** The image store's files: what one store writes, the next one (after a restart) reads back. */
class ImageStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @Test
    void imagesAndReferencesSurviveARestart() throws IOException {
        ImageRecord image = image();
        ImageReference tag = ImageReference.parse("localhost:5000/team/app:1");
        ImageReference digest = ImageReference.parse("localhost:5000/team/app@" + digest('d'));
        ImageStore store = new ImageStore(new BerthProperties(dataDir), JSON);
        store.add(image, List.of(tag, digest));
        store.tag(ImageReference.parse("busybox:mine"), image.id());

        ImageStore reopened = new ImageStore(new BerthProperties(dataDir), JSON);
        assertThat(reopened.get(image.id())).hasValue(image);
        assertThat(reopened.references(image.id())).extracting(ImageReference::familiar)
                .containsExactlyInAnyOrder("localhost:5000/team/app:1", "localhost:5000/team/app@" + digest('d'),
                        "busybox:mine");
        assertThat(reopened.find("busybox:mine")).hasValue(image);
    }

    @Test
    void readsTheFilesAsEarlierVersionsWroteThem() throws IOException {
        Path images = Files.createDirectories(dataDir.resolve("engine/images/imagedb"));
        ImageRecord image = image();
        Files.writeString(images.resolve(image.id().hex() + ".json"), """
                {"id":"%s","manifest":"%s","created":"2024-01-01T00:00:00Z","layers":[{"blob":"%s",\
                "mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","blobSize":10,"diffId":"%s",\
                "chainId":"%s","size":20}]}""".formatted(digest('a'), digest('b'), digest('c'), digest('e'),
                digest('e')));
        Files.writeString(dataDir.resolve("engine/images/repositories.json"), """
                {
                  "Repositories" : {
                    "docker.io/library/busybox" : {
                      "docker.io/library/busybox:latest" : "%s"
                    }
                  }
                }""".formatted(digest('a')));

        ImageStore store = new ImageStore(new BerthProperties(dataDir), JSON);
        assertThat(store.get(image.id())).hasValue(image);
        assertThat(store.find("busybox")).hasValue(image);
    }

    private static ImageRecord image() {
        return new ImageRecord(Digest.parse(digest('a')), Digest.parse(digest('b')),
                List.of(new ImageRecord.Layer(Digest.parse(digest('c')), "application/vnd.oci.image.layer.v1.tar+gzip",
                        10, Digest.parse(digest('e')), Digest.parse(digest('e')), 20)),
                Instant.parse("2024-01-01T00:00:00Z"));
    }

    private static String digest(char hex) {
        return "sha256:" + String.valueOf(hex).repeat(64);
    }
}
