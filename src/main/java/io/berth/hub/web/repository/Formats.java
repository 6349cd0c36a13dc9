package io.berth.hub.web.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the pages write sizes, times, digests and platforms. Templates call these as {@code ${formats.bytes(n)}}; their
 * expression language sees public methods only.
 */
final class Formats {

    static final Formats INSTANCE = new Formats();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private Formats() {
    }

    /** Bytes as the docker CLI writes them: decimal units, three significant digits ({@code 4.19 MB}). */
    public String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        String number = value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
        return number + " " + UNITS[unit];
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** {@code sha256:0123456789ab}: enough to tell digests apart at a glance; the full one is in the title. */
    public String shortDigest(String digest) {
        if (digest == null) {
            return "";
        }
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    public String platform(ImagePlatform platform) {
        if (platform == null) {
            return "";
        }
        return platform.os() + "/" + platform.architecture() + (platform.variant() == null ? "" : "/" + platform.variant());
    }

    public String platforms(List<ImagePlatform> platforms) {
        return platforms.stream().map(this::platform).collect(Collectors.joining(", "));
    }
}
