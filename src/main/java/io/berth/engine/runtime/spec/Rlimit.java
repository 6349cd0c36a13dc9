package io.berth.engine.runtime.spec;

/** A resource limit: {@code type} is the setrlimit name ({@code RLIMIT_NOFILE}, ...). */
public record Rlimit(String type, long hard, long soft) {
}
