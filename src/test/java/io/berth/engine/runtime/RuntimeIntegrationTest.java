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
import io.berth.engine.runtime.berthinit.OciCliRuntime;
import io.berth.engine.runtime.cgroup.CgroupsDetector;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;
import io.berth.support.RequiredTools;

/**
 * Base of the tests that run containers of a busybox image from the Hub through the Engine's runtime, or through
 * another runtime a subclass names (so that runtimes can be compared on the same tests).
 */
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

    /** The runtime the containers run with. */
    ContainerRuntime tested;

    @BeforeEach
    void busybox() throws IOException {
        EngineRequirement.assumeEngine();
        tested = runtimeUnderTest();
        containers = RuntimeFixture.withBusybox(tested, graph, puller, content, registry(), registryHost(), temp);
    }

    /** The Engine's own runtime bean (the native one), unless a subclass tests another. */
    ContainerRuntime runtimeUnderTest() throws IOException {
        return runtime;
    }

    /** runc as {@code berth.engine.runtime=runc} makes it, its data dir {@link #runcDataDir()}; skips without runc. */
    ContainerRuntime runc() throws IOException {
        RequiredTools.require("runc", "runc");
        return OciCliRuntime.install("runc", runcDataDir(), CgroupsDetector.detect());
    }

    Path runcDataDir() {
        return temp.resolve("runc-data");
    }

    @AfterEach
    void removeContainers() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }
}
