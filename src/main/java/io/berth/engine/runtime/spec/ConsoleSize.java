package io.berth.engine.runtime.spec;

/** A terminal's size in characters. */
public record ConsoleSize(int height, int width) {
}
