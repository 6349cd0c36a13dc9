package io.berth.ops.dashboard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Values as the dashboard writes them, the same way dashboard.js does: three significant digits, bytes in kB, MB. */
final class Readings {

    private static final String[] BYTE_UNITS = {"B", "kB", "MB", "GB", "TB"};

    private Readings() {
    }

    static String format(double value, String unit) {
        if (unit.startsWith("B")) {
            String per = unit.substring(1); // "" or "/s"
            double scaled = value;
            int index = 0;
            while (Math.abs(scaled) >= 1000 && index < BYTE_UNITS.length - 1) {
                scaled /= 1000;
                index++;
            }
            return number(scaled) + " " + BYTE_UNITS[index] + per;
        }
        if (unit.isEmpty() || unit.startsWith("/")) {
            return number(value) + unit; // 5/s
        }
        return number(value) + " " + unit;
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
