package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the JSON stream {@code docker build} and {@code docker load} read (swagger {@code BuildInfo}): text
 * for the terminal ({@code {"stream":"Loaded image: busybox:latest\n"}}), the image built
 * ({@code {"aux":{"ID":"sha256:..."}}}), or the error that ended the stream. Absent fields are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamMessage(String stream, ProgressMessage.ErrorDetail errorDetail, String error, Aux aux) {

    /** What the build made. */
    public record Aux(@JsonProperty("ID") String id) {
    }

    public static StreamMessage stream(String text) {
        return new StreamMessage(text, null, null, null);
    }

    public static StreamMessage image(String id) {
        return new StreamMessage(null, null, null, new Aux(id));
    }

    public static StreamMessage error(String message) {
        return error(0, message);
    }

    /** An error with the exit code of the build step that failed. */
    public static StreamMessage error(int code, String message) {
        return new StreamMessage(null, new ProgressMessage.ErrorDetail(code, message), message, null);
    }
}
