package io.berth.hub.distribution;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code {"errors":[{"code":..., "message":..., "detail":...}]}}, the Distribution API's error document. */
public record ErrorBody(List<Entry> errors) {

    public static ErrorBody of(RegistryError error, String message, Object detail) {
        return new ErrorBody(List.of(new Entry(error.name(), message, detail)));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String code, String message, Object detail) {
    }
}
