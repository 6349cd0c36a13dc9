package io.berth.engine.container;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a container is in its life, by Docker's word for it (inspect's State.Status, the {@code status} filter). */
public enum ContainerStatus {
    CREATED("created"),
    RUNNING("running"),
    PAUSED("paused"),
    RESTARTING("restarting"),
    REMOVING("removing"),
    EXITED("exited"),
    DEAD("dead");

    private final String word;

    ContainerStatus(String word) {
        this.word = word;
    }

    /** Docker's word: {@code created}, {@code running}, ... (also how the container's record stores it). */
    @JsonValue
    public String word() {
        return word;
    }

    /** The status Docker calls {@code word}; empty for a word Docker does not use. */
    public static java.util.Optional<ContainerStatus> of(String word) {
        for (ContainerStatus status : values()) {
            if (status.word.equals(word)) {
                return java.util.Optional.of(status);
            }
        }
        return java.util.Optional.empty();
    }
}
