package io.berth.engine.runtime;

import java.io.IOException;

/** The runtime tests against runc, driven as {@code berth.engine.runtime=runc} drives it (skipped without runc). */
class RuncRuntimeContainersTest extends RuntimeContainersTest {

    @Override
    ContainerRuntime runtimeUnderTest() throws IOException {
        return runc();
    }
}
