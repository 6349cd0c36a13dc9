package io.berth.engine.runtime.spec;

/** The root file system: an absolute path, or one relative to the bundle. */
public record Root(String path, boolean readonly) {
}
