package io.berth.engine.runtime;

import java.io.IOException;

/** A runc container outlives the Engine's JVM too: its berth-init monitor, not runc, is its parent. */
class RuncContainerOutlivesTheEngineTest extends ContainerOutlivesTheEngineTest {

    @Override
    ContainerRuntime runtimeUnderTest() throws IOException {
        return runc();
    }
}
