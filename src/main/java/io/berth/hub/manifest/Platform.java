package io.berth.hub.manifest;

/** The platform an index entry is for. */
public record Platform(String architecture, String os, String variant) {
}
