package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A path's stat as the {@code X-Docker-Container-Path-Stat} header of the archive endpoints carries it (base64 of this
 * JSON).
 *
 * @param mode  Go's {@code os.FileMode}: the permission bits with Go's type bits (directory, symlink, setuid, ...)
 * @param mtime RFC 3339
 */
public record ContainerPathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
        @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
        @JsonProperty("linkTarget") String linkTarget) {
}
