package io.berth.engine.runtime.spec;

import java.util.List;

/** A Docker user string resolved against an image's /etc/passwd and /etc/group. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {

    public User toSpecUser() {
        return new User(uid, gid, null, additionalGids);
    }
}
