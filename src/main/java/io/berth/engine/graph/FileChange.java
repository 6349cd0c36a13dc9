package io.berth.engine.graph;

/**
 * One path a container changed in its image's file system, as {@code docker diff} lists it ({@code GET
 * /containers/{id}/changes}: {@code Kind} 0 modified, 1 added, 2 deleted).
 *
 * @param path absolute, {@code /etc/motd}
 */
public record FileChange(String path, Kind kind) {

    public enum Kind {
        MODIFIED, ADDED, DELETED;

        /** The number the Engine API gives the kind. */
        public int code() {
            return ordinal();
        }
    }
}
