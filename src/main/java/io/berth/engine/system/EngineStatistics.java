package io.berth.engine.system;

/**
 * Counts for {@code docker info}. The package that owns images and the one that owns containers each provide one
 * bean and answer 0 for what they do not own: {@code /info} adds up every bean's counts.
 */
public interface EngineStatistics {

    int images();

    int containers();

    /** Of {@link #containers()}, those running now. */
    default int containersRunning() {
        return 0;
    }

    /** Of {@link #containers()}, those frozen by {@code docker pause}. */
    default int containersPaused() {
        return 0;
    }
}
