package io.berth.engine.image;

import io.berth.engine.docker.ProgressMessage;

/**
 * Where a pull reports what it does, one message at a time, from several threads (downloads run in parallel):
 * implementations serialise. The Engine API writes each message as one JSON line.
 */
@FunctionalInterface
public interface PullProgress {

    PullProgress NONE = message -> { };

    void report(ProgressMessage message);
}
