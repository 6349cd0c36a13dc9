package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Go's {@code struct{}}: the value of the port and volume sets ({@code "ExposedPorts": {"80/tcp": {}}}), written as
 * {@code {}}, whatever a client put there read as nothing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmptyObject() {

    public static final EmptyObject INSTANCE = new EmptyObject();
}
