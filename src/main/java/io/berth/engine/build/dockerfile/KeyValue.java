package io.berth.engine.build.dockerfile;

/**
 * One {@code key=value} of {@code ENV} or {@code LABEL}, or one definition of {@code ARG}, as written: quotes, escapes
 * and {@code $VARIABLES} are still in it and are resolved when the instruction is evaluated (see {@link ShellLexer}).
 *
 * @param value null for an {@code ARG} without a default
 */
public record KeyValue(String key, String value) {
}
