package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImagePuller;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;

/** Base of the tests that run containers of a busybox image from the Hub through the Engine's runtime. */
abstract class RuntimeIntegrationTest extends BerthIntegrationTest {

    // Not required: where the Engine cannot run these beans are missing and assumeEngine() skips (or fails in CI).
    @Autowired(required = false)
    ContainerRuntime runtime;
    @Autowired(required = false)
    GraphDriver graph;
    @Autowired(required = false)
    ImagePuller puller;
    @Autowired(required = false)
    ContentStore content;

    @TempDir
    Path temp;

    RuntimeFixture containers;

    @BeforeEach
    void busybox() {
        EngineRequirement.assumeEngine();
        containers = RuntimeFixture.withBusybox(runtime, graph, puller, content, registry(), registryHost(), temp);
    }

    @AfterEach
    void removeContainers() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }
}
