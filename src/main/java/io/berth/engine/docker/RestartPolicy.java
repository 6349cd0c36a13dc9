package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * HostConfig.RestartPolicy: {@code no} (or empty), {@code always}, {@code unless-stopped} or {@code on-failure} with
 * a maximum retry count.
 */
@DockerJson
public record RestartPolicy(@ZeroWhenNull String name, @ZeroWhenNull int maximumRetryCount) {

    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    /** {@code no}, or no name at all. */
    @JsonIgnore
    public boolean isNo() {
        return name == null || name.isEmpty() || name.equals("no");
    }
}
