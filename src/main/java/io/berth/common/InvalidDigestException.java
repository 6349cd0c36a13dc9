package io.berth.common;

/** A string that is not a digest Berth understands. */
public class InvalidDigestException extends IllegalArgumentException {

    private final String value;

    public InvalidDigestException(String value) {
        super("invalid digest: " + value);
        this.value = value;
    }

    public String value() {
        return value;
    }
}
