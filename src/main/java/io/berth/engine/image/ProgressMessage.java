package io.berth.engine.image;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of docker's JSON progress stream: {@code {"status":"Downloading","progressDetail":{"current":N,"total":T},
 * "progress":"[==>  ]  N/T","id":"<12 hex>"}}. {@code detail} says whether the line carries {@code progressDetail} at
 * all (the first and last lines of a pull do not); {@code current}/{@code total} are used when positive.
 */
public record ProgressMessage(String status, String id, boolean detail, long current, long total, String error,
        Map<String, Object> aux) {

    private static final int BAR_WIDTH = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    public static ProgressMessage status(String status) {
        return new ProgressMessage(status, null, false, 0, 0, null, null);
    }

    public static ProgressMessage status(String status, String id) {
        return new ProgressMessage(status, id, false, 0, 0, null, null);
    }

    public static ProgressMessage layer(String status, String id) {
        return new ProgressMessage(status, id, true, 0, 0, null, null);
    }

    public static ProgressMessage layer(String status, String id, long current, long total) {
        return new ProgressMessage(status, id, true, current, total, null, null);
    }

    public static ProgressMessage error(String message) {
        return new ProgressMessage(null, null, false, 0, 0, message, null);
    }

    /** The last line of a push: {@code {"progressDetail":{},"aux":{"Tag":..,"Digest":..,"Size":..}}}. */
    public static ProgressMessage pushed(String tag, String digest, long size) {
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", tag);
        aux.put("Digest", digest);
        aux.put("Size", size);
        return new ProgressMessage(null, null, true, 0, 0, null, aux);
    }

    /** The fields in docker's order, ready to be written as one JSON object. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (error != null) {
            map.put("errorDetail", Map.of("message", error));
            map.put("error", error);
            return map;
        }
        if (status != null) {
            map.put("status", status);
        }
        if (detail) {
            Map<String, Object> progressDetail = new LinkedHashMap<>();
            if (total > 0) {
                progressDetail.put("current", current);
                progressDetail.put("total", total);
            }
            map.put("progressDetail", progressDetail);
            if (total > 0) {
                map.put("progress", bar(current, total));
            }
        }
        if (aux != null) {
            map.put("aux", aux);
        }
        if (id != null) {
            map.put("id", id);
        }
        return map;
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
