package io.berth.hub.audit;

/**
 * An audit event as one log line: {@code action=login.failed outcome=failure actor="alice" address="192.0.2.1"
 * target="token:ci" detail="wrong password"}, with {@code -} for a missing value. Values are quoted and their
 * quotes, backslashes and control characters escaped, since user names and targets come from callers: a name with
 * a line break in it must not forge a second line.
 */
final class AuditLine {

    private AuditLine() {
    }

    static String of(String action, String outcome, String actor, String clientAddress, String target,
            String detail) {
        StringBuilder line = new StringBuilder(128);
        line.append("action=").append(action == null ? "-" : action);
        line.append(" outcome=").append(outcome);
        field(line, "actor", actor);
        field(line, "address", clientAddress);
        field(line, "target", target);
        field(line, "detail", detail);
        return line.toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append(' ').append(name).append('=');
        if (value == null) {
            line.append('-');
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
