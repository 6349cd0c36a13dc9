package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;

import java.util.Locale;
import java.util.Map;

import io.berth.common.error.BerthException;


/** Linux signals by Docker's names: {@code SIGTERM}, {@code TERM}, {@code 15}, {@code SIGRTMIN+3}. */
final class SignalNames {

    static final int SIGKILL = 9;
    static final int SIGTERM = 15;

    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private SignalNames() {
    }

    /** The signal {@code name} names; {@code fallback} for none; 400 "Invalid signal: X" for an unknown one. */
    static int parse(String name, int fallback) {
        if (name == null || name.isEmpty()) {
            return fallback;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(upper);
            if (number < 1 || number > SIGRTMAX) {
                throw new BerthException(INVALID, "Invalid signal: " + name);
            }
            return number;
        }
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        Integer signal = SIGNALS.get(bare);
        if (signal != null) {
            return signal;
        }
        try {
            if (bare.startsWith("RTMIN+")) {
                int value = SIGRTMIN + Integer.parseInt(bare.substring(6));
                if (value <= SIGRTMAX) {
                    return value;
                }
            } else if (bare.startsWith("RTMAX-")) {
                int value = SIGRTMAX - Integer.parseInt(bare.substring(6));
                if (value >= SIGRTMIN) {
                    return value;
                }
            } else if (bare.equals("RTMIN")) {
                return SIGRTMIN;
            } else if (bare.equals("RTMAX")) {
                return SIGRTMAX;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw new BerthException(INVALID, "Invalid signal: " + name);
    }
}
