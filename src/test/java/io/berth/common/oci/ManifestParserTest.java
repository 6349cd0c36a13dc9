package io.berth.common.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.berth.common.Digest;
import io.berth.common.error.ErrorKind;

class ManifestParserTest {

    private static final String CONFIG = "sha256:" + "a".repeat(64);
    private static final String LAYER = "sha256:" + "b".repeat(64);
    private static final String FOREIGN = "sha256:" + "c".repeat(64);

    private final ManifestParser parser = new ManifestParser();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dockerSchema2ManifestNamesItsConfigAndLayers() {
        ParsedManifest parsed = parser.parse(json("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":10},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":20}]}
                """.formatted(CONFIG, LAYER)), "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(parsed.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(parsed.requiredBlobs()).containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER));
        assertThat(parsed.artifactType()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(parsed.isIndex()).isFalse();
    }

    @Test
    void nonDistributableLayersAreReferencedButNotRequired() {
        ParsedManifest parsed = parser.parse(json("""
                {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":10,
                 "newUnspecifiedField":null,"data":"e30="},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip","digest":"%s","size":20,
                 "urls":["https://example.com/layer"]}]}
                """.formatted(CONFIG, FOREIGN)), MediaTypes.OCI_MANIFEST);
        assertThat(parsed.mediaType()).as("taken from Content-Type when the body has none").isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parsed.requiredBlobs()).containsExactly(Digest.parse(CONFIG));
        assertThat(parsed.referencedBlobs()).containsExactly(Digest.parse(CONFIG), Digest.parse(FOREIGN));
    }

    @Test
    void indexRecordsChildrenSubjectAndArtifactType() {
        ParsedManifest parsed = parser.parse(json("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/x.test",
                 "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":5,
                               "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}],
                 "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":7},
                 "annotations":{"b":"2","a":"1"}}
                """.formatted(LAYER, CONFIG)), null);
        assertThat(parsed.isIndex()).isTrue();
        assertThat(parsed.referencedManifests()).containsExactly(Digest.parse(LAYER));
        assertThat(parsed.manifests().get(0).platform()).isEqualTo(new Platform("arm64", "linux", "v8"));
        assertThat(parsed.subjectDescriptor()).map(Descriptor::digest).hasValue(Digest.parse(CONFIG));
        assertThat(parsed.artifactType()).isEqualTo("application/x.test");
        assertThat(parsed.annotations()).containsExactly(java.util.Map.entry("b", "2"), java.util.Map.entry("a", "1"));
    }

    @Test
    void dockerManifestListNamesEachPlatformsManifest() {
        ParsedManifest parsed = parser.parse(json("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
                 "manifests":[
                  {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":528,
                   "platform":{"architecture":"amd64","os":"linux"}},
                  {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":528,
                   "platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}
                """.formatted(CONFIG, LAYER)), "application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(parsed.isIndex()).isTrue();
        assertThat(parsed.config()).isNull();
        assertThat(parsed.manifests()).extracting(Descriptor::platform)
                .containsExactly(new Platform("amd64", "linux", null), new Platform("arm", "linux", "v7"));
        assertThat(parsed.referencedManifests()).containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER));
    }

    @Test
    void theBodysShapeTellsAnUntypedDocumentWhenTheContentTypeIsNoManifestType() {
        String index = """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "digest":"%s","size":5}]}""".formatted(LAYER);
        assertThat(parser.parse(json(index), "application/json").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        String manifest = """
                {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s",
                 "size":10},"layers":[]}""".formatted(CONFIG);
        ParsedManifest parsed = parser.parse(json(manifest), "application/octet-stream");
        assertThat(parsed.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(parsed.layers()).isEmpty();
        assertThat(parsed.config().size()).isEqualTo(10);
    }

    @Test
    void refusesWhatIsNotASchema2Manifest() {
        assertInvalid("{\"schemaVersion\":2,", null, "not valid JSON");
        assertInvalid("[1,2]", null, "JSON object");
        assertInvalid("{\"schemaVersion\":1,\"fsLayers\":[]}", null, "schemaVersion 1");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
                MediaTypes.OCI_MANIFEST, "does not match Content-Type");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
                null, "no config");
        assertInvalid("""
                {"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:short","size":1},"layers":[]}""",
                MediaTypes.OCI_MANIFEST, "config.digest");
        assertInvalid("""
                {"schemaVersion":2,"config":{"mediaType":"a/b","digest":"%s","size":-1},"layers":[]}""".formatted(CONFIG),
                MediaTypes.OCI_MANIFEST, "config.size");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/x-unknown\"}", null, "unsupported manifest media type");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"a/b\",\"digest\":\"%s\",\"size\":1}}".formatted(CONFIG),
                null, "layers is missing");
        assertInvalid("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"digest\":\"%s\",\"size\":1}]}".formatted(CONFIG), null,
                "manifests[0].mediaType is missing");
        assertInvalid("{\"schemaVersion\":\"2\"}", null, "schemaVersion is missing");
    }

    private void assertInvalid(String document, String contentType, String message) {
        assertThatThrownBy(() -> parser.parse(json(document), contentType))
                .isInstanceOfSatisfying(ManifestInvalidException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining(message);
    }
}
