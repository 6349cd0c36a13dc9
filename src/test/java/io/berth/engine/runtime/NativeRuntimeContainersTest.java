package io.berth.engine.runtime;

/** The runtime tests against the Engine's runtime bean: Berth's native runtime. */
class NativeRuntimeContainersTest extends RuntimeContainersTest {
}
