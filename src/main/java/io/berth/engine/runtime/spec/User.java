package io.berth.engine.runtime.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who the process runs as, by number; names are resolved against the image's /etc/passwd before. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record User(int uid, int gid, Integer umask, List<Integer> additionalGids) {
}
