package io.berth.hub.web.repository;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A platform an image runs on, such as linux/arm64/v8. */
record ImagePlatform(String os, String architecture,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String variant) {
}
