package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error of the Engine API: {@code {"message": "..."}}, the text for the docker CLI to print as it is. */
public record ErrorResponse(@JsonProperty("message") String message) {
}
