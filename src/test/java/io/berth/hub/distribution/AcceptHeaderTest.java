package io.berth.hub.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class AcceptHeaderTest {

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";

    @Test
    void servesWhatTheClientReads() {
        assertThat(AcceptHeader.allows(null, OCI)).isTrue();
        assertThat(AcceptHeader.allows(List.of("*/*"), OCI)).isTrue();
        assertThat(AcceptHeader.allows(List.of("application/json"), OCI)).as("names no manifest type").isTrue();
        assertThat(AcceptHeader.allows(List.of(DOCKER + ", " + OCI + ";q=0.9"), OCI)).isTrue();
        assertThat(AcceptHeader.allows(List.of(DOCKER, OCI), OCI)).as("one header line per type").isTrue();
        assertThat(AcceptHeader.allows(List.of("Application/VND.OCI.Image.Manifest.v1+JSON"), OCI)).isTrue();
        assertThat(AcceptHeader.allows(List.of(DOCKER), OCI)).isFalse();
        assertThat(AcceptHeader.allows(List.of("application/*+json, " + DOCKER), OCI))
                .as("a suffix pattern is not a wildcard for every type").isFalse();
        assertThat(AcceptHeader.allows(List.of("text, " + OCI), OCI)).as("a malformed entry leaves the others").isTrue();
        assertThat(AcceptHeader.allows(List.of(DOCKER + ";note=\"a, b\", " + OCI), OCI))
                .as("a comma inside a quoted parameter").isTrue();
    }
}
