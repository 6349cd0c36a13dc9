package io.berth.engine.build.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Go's {@code time.ParseDuration}, which {@code HEALTHCHECK --interval=1m30s} and its siblings are read with. */
final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "μs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    static Duration parse(String text) {
        String rest = text;
        boolean negative = false;
        if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
            negative = rest.charAt(0) == '-';
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (!rest.isEmpty()) {
            int digits = 0;
            while (digits < rest.length() && (Character.isDigit(rest.charAt(digits)) || rest.charAt(digits) == '.')) {
                digits++;
            }
            String number = rest.substring(0, digits);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitEnd = digits;
            while (unitEnd < rest.length() && !Character.isDigit(rest.charAt(unitEnd)) && rest.charAt(unitEnd) != '.') {
                unitEnd++;
            }
            String unit = rest.substring(digits, unitEnd);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            Long factor = NANOS_PER_UNIT.get(unit);
            if (factor == null) {
                throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(factor)));
            rest = rest.substring(unitEnd);
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        long value = nanos.longValue();
        return Duration.ofNanos(negative ? -value : value);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}
