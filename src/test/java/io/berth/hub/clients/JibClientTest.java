package io.berth.hub.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.berth.support.OciImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Jib (the library behind the Maven and Gradle Jib plugins) builds an image from scratch and pushes it to
 * Berth, in both formats it can produce; every manifest and blob it pushed must then be served back.
 */
class JibClientTest extends RealClientTest {

    private static final Map<ImageFormat, String> MANIFEST_TYPES = Map.of(
            ImageFormat.Docker, "application/vnd.docker.distribution.manifest.v2+json",
            ImageFormat.OCI, OciImages.MANIFEST_TYPE);

    /** Jib's switch (a system property only) for sending credentials and tokens to a registry over plain HTTP. */
    private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

    private static String sendCredentialsOverHttpBefore;

    @TempDir
    Path work;

    /**
     * Berth listens on plain HTTP here, and Jib strips the Authorization header from every plain-HTTP request (the
     * Basic credentials to the token endpoint and the bearer tokens alike) unless told otherwise: without this the
     * push gets nothing but 401s.
     */
    @BeforeAll
    static void letJibSendCredentialsOverHttp() {
        sendCredentialsOverHttpBefore = System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
    }

    @AfterAll
    static void restoreJibDefault() {
        if (sendCredentialsOverHttpBefore == null) {
            System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
        } else {
            System.setProperty(SEND_CREDENTIALS_OVER_HTTP, sendCredentialsOverHttpBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void containerizePushesAnImageBerthServesBack(ImageFormat format) throws Exception {
        Path app = Files.createDirectories(work.resolve("app"));
        Path greeting = Files.writeString(app.resolve("greeting.txt"), "hello from jib, " + format + "\n");
        Path script = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\ncat /app/greeting.txt\n");
        String tag = format == ImageFormat.Docker ? "1" : "1-oci";

        JibContainer container = Jib.fromScratch()
                .setFormat(format)
                .addLayer(List.of(greeting, script), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("/bin/sh", "/app/run.sh")
                .containerize(Containerizer.to(RegistryImage.named(registryAddress() + "/jib/app:" + tag)
                                .addCredential(ADMIN, ADMIN_PASSWORD))
                        // Jib tries HTTPS first and falls back to plain HTTP only when this allows it.
                        .setAllowInsecureRegistries(true)
                        // Keep Jib out of ~/.cache/google-cloud-tools-java; @TempDir removes these.
                        .setBaseImageLayersCache(work.resolve("jib-base-cache"))
                        .setApplicationLayersCache(work.resolve("jib-app-cache"))
                        .setToolName("berth-tests")
                        .addEventHandler(LogEvent.class, log -> System.out.println(
                                "jib " + log.getLevel() + ": " + log.getMessage())));

        HttpResponse<byte[]> manifestResponse = get("/v2/jib/app/manifests/" + tag);
        assertThat(manifestResponse.statusCode()).isEqualTo(200);
        String digest = container.getDigest().toString();
        assertThat(OciImages.sha256(manifestResponse.body())).as("digest of the manifest Berth serves")
                .isEqualTo(digest);
        assertThat(manifestResponse.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(manifestResponse.headers().firstValue("Content-Type")).hasValue(MANIFEST_TYPES.get(format));

        JsonNode manifest = OciImages.parse(manifestResponse.body());
        assertThat(manifest.get("mediaType").asString()).isEqualTo(MANIFEST_TYPES.get(format));
        assertThat(manifest.get("config").get("digest").asString()).isEqualTo(container.getImageId().toString());
        assertThat(manifest.get("layers")).hasSize(1);
        assertBlobServed(manifest.get("config"));
        for (JsonNode layer : manifest.get("layers")) {
            assertBlobServed(layer);
        }
    }

    private void assertBlobServed(JsonNode descriptor) {
        String digest = descriptor.get("digest").asString();
        HttpResponse<byte[]> blob = get("/v2/jib/app/blobs/" + digest);
        assertThat(blob.statusCode()).as("GET blob %s", digest).isEqualTo(200);
        assertThat((long) blob.body().length).as("length of blob %s", digest)
                .isEqualTo(descriptor.get("size").asLong());
        assertThat(OciImages.sha256(blob.body())).isEqualTo(digest);
    }
}
