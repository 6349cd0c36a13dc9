package io.berth.engine.console;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/** Sizes and spans of time in the words the node page shows, as {@code docker ps} and {@code docker images} do. */
final class HumanUnits {

    private static final String[] SIZE_UNITS = {"B", "kB", "MB", "GB", "TB"};

    private HumanUnits() {
    }

    /** Decimal units as docker prints them, three significant digits: {@code 4.26 MB}, {@code 512 B}. */
    static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString() + " "
                + SIZE_UNITS[unit];
    }

    /** {@code less than a minute}, {@code 1 minute}, {@code 5 minutes}, {@code 3 hours}, {@code 2 days}. */
    static String span(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return "less than a minute";
        }
        if (seconds < 3600) {
            return plural(seconds / 60, "minute");
        }
        if (seconds < 2 * 86400) {
            return plural(seconds / 3600, "hour");
        }
        return plural(seconds / 86400, "day");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
