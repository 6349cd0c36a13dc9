package io.berth.engine.docker;

import java.math.BigDecimal;
import java.math.MathContext;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of docker's JSON progress stream, as pulls, pushes and imports write it (swagger {@code CreateImageInfo}
 * and {@code PushImageInfo}): {@code {"status":"Downloading","progressDetail":{"current":N,"total":T},
 * "progress":"[==>  ]  N/T","id":"<12 hex>"}}, or {@code {"errorDetail":{"message":..},"error":..}} when the transfer
 * failed. Fields are in dockerd's order; absent ones are left out.
 *
 * @param progressDetail present on a layer's lines ({@code {}} when they carry no byte counts), absent on the first and
 *                       last lines of a pull
 * @param aux            the last line of a push: what was pushed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressMessage(ErrorDetail errorDetail, String error, String status, ProgressDetail progressDetail,
        String progress, PushResult aux, String id) {

    /** Byte counts of a layer's transfer; both absent when not known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProgressDetail(Long current, Long total) {

        static final ProgressDetail NONE = new ProgressDetail(null, null);
    }

    /** @param code a failing build step's exit code (the docker CLI exits with it); 0, left out, otherwise */
    public record ErrorDetail(@JsonInclude(JsonInclude.Include.NON_DEFAULT) int code, String message) {

        public ErrorDetail(String message) {
            this(0, message);
        }
    }

    /** What a push put on the registry: the tag, the manifest's digest and its size in bytes. */
    public record PushResult(
            @JsonProperty("Tag") String tag,
            @JsonProperty("Digest") String digest,
            @JsonProperty("Size") long size) {
    }

    private static final int BAR_WIDTH = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    public static ProgressMessage status(String status) {
        return new ProgressMessage(null, null, status, null, null, null, null);
    }

    public static ProgressMessage status(String status, String id) {
        return new ProgressMessage(null, null, status, null, null, null, id);
    }

    /** A layer's line without byte counts: {@code "progressDetail":{}}. */
    public static ProgressMessage layer(String status, String id) {
        return new ProgressMessage(null, null, status, ProgressDetail.NONE, null, null, id);
    }

    /** A layer's line with byte counts and docker's bar; without them when {@code total} is not positive. */
    public static ProgressMessage layer(String status, String id, long current, long total) {
        if (total <= 0) {
            return layer(status, id);
        }
        return new ProgressMessage(null, null, status, new ProgressDetail(current, total), bar(current, total), null,
                id);
    }

    public static ProgressMessage error(String message) {
        return new ProgressMessage(new ErrorDetail(message), message, null, null, null, null, null);
    }

    /** The last line of a push: {@code {"progressDetail":{},"aux":{"Tag":..,"Digest":..,"Size":..}}}. */
    public static ProgressMessage pushed(String tag, String digest, long size) {
        return new ProgressMessage(null, null, null, ProgressDetail.NONE, null, new PushResult(tag, digest, size),
                null);
    }

    /** docker's bar, as its jsonmessage package draws it for a wide terminal. */
    static String bar(long current, long total) {
        int filled = (int) Math.min(BAR_WIDTH, (int) (current * 100.0 / total) / 2);
        return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled) + "] "
                + String.format("%8s/%s", humanSize(current), humanSize(total));
    }

    /** Go's units.HumanSize: decimal units, four significant digits, trailing zeros dropped. */
    static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        String number = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return number + UNITS[unit];
    }
}
