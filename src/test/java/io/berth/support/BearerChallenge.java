package io.berth.support;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate: Bearer ...} challenge as a registry sends it with a 401, parsed the way RFC 9110
 * (section 11) writes auth-params: {@code name=token} or {@code name="quoted string"} with backslash escapes,
 * separated by commas and optional whitespace, names case-insensitive. Parsed strictly, so that a malformed challenge
 * from the server fails the test rather than being read in some lenient way a real client would not share.
 *
 * @param realm   the token endpoint's URL
 * @param service the service to ask the token for, or null when the challenge names none
 * @param scopes  the scopes the request needs, from the space-separated {@code scope} parameter; empty when none
 * @param error   {@code invalid_token}, {@code insufficient_scope}... when a token was sent but did not do; else null
 */
public record BearerChallenge(String realm, String service, List<String> scopes, String error) {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    public BearerChallenge {
        scopes = List.copyOf(scopes);
    }

    /** The Bearer challenge among the response's {@code WWW-Authenticate} headers, if it has one. */
    public static Optional<BearerChallenge> of(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .filter(BearerChallenge::isBearer)
                .findFirst()
                .map(BearerChallenge::parse);
    }

    /** Whether the header value is a challenge of the {@code Bearer} scheme (scheme names are case-insensitive). */
    public static boolean isBearer(String header) {
        return schemeOf(header).equalsIgnoreCase("bearer");
    }

    /** The auth scheme a {@code WWW-Authenticate} value starts with, e.g. {@code Bearer} or {@code Basic}. */
    public static String schemeOf(String header) {
        String trimmed = header.strip();
        int end = 0;
        while (end < trimmed.length() && isTokenChar(trimmed.charAt(end))) {
            end++;
        }
        return trimmed.substring(0, end);
    }

    /**
     * Parses one {@code WWW-Authenticate} value holding a single Bearer challenge.
     *
     * @throws IllegalArgumentException when it is not a Bearer challenge, is malformed, repeats a parameter or lacks
     *                                  a realm
     */
    public static BearerChallenge parse(String header) {
        Map<String, String> params = new Parser(header).challengeParams();
        String realm = params.get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("Bearer challenge without a realm: " + header);
        }
        List<String> scopes = new ArrayList<>();
        String scope = params.get("scope");
        if (scope != null) {
            for (String one : scope.split(" ")) {
                if (!one.isEmpty()) {
                    scopes.add(one);
                }
            }
        }
        return new BearerChallenge(realm, params.get("service"), scopes, params.get("error"));
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_SYMBOLS.indexOf(c) >= 0;
    }

    /** A cursor over the header value. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        /** {@code Bearer name=value, name="value"}: the scheme must be Bearer; returns the params by lower-case name. */
        Map<String, String> challengeParams() {
            skipWhitespace();
            String scheme = token("auth scheme");
            if (!scheme.equalsIgnoreCase("bearer")) {
                throw malformed("not a Bearer challenge");
            }
            if (!atEnd() && !isWhitespace(peek())) {
                throw malformed("no space after the scheme");
            }
            Map<String, String> params = new LinkedHashMap<>();
            skipWhitespace();
            while (!atEnd()) {
                String name = token("parameter name").toLowerCase(Locale.ROOT);
                skipWhitespace();
                expect('=');
                skipWhitespace();
                String value = !atEnd() && peek() == '"' ? quotedString() : token("value of " + name);
                if (params.putIfAbsent(name, value) != null) {
                    throw malformed("parameter " + name + " given twice");
                }
                skipWhitespace();
                if (atEnd()) {
                    break;
                }
                expect(',');
                // RFC 9110 #rule: empty list elements (", ,") are allowed and mean nothing.
                skipWhitespace();
                while (!atEnd() && peek() == ',') {
                    pos++;
                    skipWhitespace();
                }
            }
            return params;
        }

        private String token(String what) {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            if (pos == start) {
                throw malformed("expected a " + what);
            }
            return text.substring(start, pos);
        }

        private String quotedString() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw malformed("unterminated quoted string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        throw malformed("backslash at the end of a quoted string");
                    }
                    c = text.charAt(pos++);
                }
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw malformed("control character in a quoted string");
                }
                value.append(c);
            }
        }

        private void expect(char c) {
            if (atEnd() || peek() != c) {
                throw malformed("expected '" + c + "'");
            }
            pos++;
        }

        private void skipWhitespace() {
            while (!atEnd() && isWhitespace(peek())) {
                pos++;
            }
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t';
        }

        private char peek() {
            return text.charAt(pos);
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("malformed WWW-Authenticate (" + why + " at " + pos + "): " + text);
        }
    }
}
