package io.berth.engine.graph;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A read-only look at an image's file system as its layers stack up (whiteouts applied), for reading what a build step
 * needs without a container: the {@code /etc/passwd} of {@code COPY --chown}, the directories a copy goes into.
 * Closing it releases what it holds (an overlay mount). Nothing may be written through {@link #root}.
 */
public final class LayerView implements AutoCloseable {

    @FunctionalInterface
    interface Release {
        void run() throws IOException;
    }

    private final Path root;
    private final Release release;
    private boolean closed;

    LayerView(Path root, Release release) {
        this.root = root;
        this.release = release;
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
