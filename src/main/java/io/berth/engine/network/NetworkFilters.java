package io.berth.engine.network;

import static io.berth.common.error.ErrorKind.INVALID;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.api.ApiFilters;

/**
 * The {@code filters} of {@code GET /networks} and {@code POST /networks/prune}, as dockerd reads them: {@code name}
 * and {@code id} match any part (a regular expression, unanchored), {@code driver} and {@code scope} match exactly,
 * {@code label} takes {@code key} or {@code key=value}, {@code type} is {@code custom} or {@code builtin},
 * {@code dangling} keeps networks no container is on (or, false, those some container is on); prune takes
 * {@code until} and {@code label} / {@code label!}.
 */
final class NetworkFilters {

    private static final Set<String> LIST = Set.of("dangling", "driver", "id", "label", "name", "scope", "type");
    private static final Set<String> PRUNE = Set.of("until", "label", "label!");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private NetworkFilters() {
    }

    /** What {@code GET /networks?filters=} keeps; {@code inUse} says whether a container is on a network. */
    static Predicate<NetworkDefinition> list(JsonMapper json, String filters, Predicate<NetworkDefinition> inUse) {
        Map<String, List<String>> values = parse(json, filters, LIST);
        Predicate<NetworkDefinition> all = network -> true;
        for (Map.Entry<String, List<String>> filter : values.entrySet()) {
            List<String> wanted = filter.getValue();
            all = all.and(switch (filter.getKey()) {
                case "driver" -> network -> wanted.contains(network.driver());
                case "scope" -> network -> wanted.contains("local");
                case "name" -> network -> wanted.stream().anyMatch(value -> matches(value, network.name()));
                case "id" -> network -> wanted.stream().anyMatch(value -> matches(value, network.id()));
                case "label" -> network -> ApiFilters.labelsMatch(wanted, network.labels()::get);
                case "type" -> type(wanted);
                case "dangling" -> dangling(wanted, inUse);
                default -> throw new IllegalStateException(filter.getKey());
            });
        }
        return all;
    }

    /** What {@code POST /networks/prune?filters=} removes (of the user networks no container is on). */
    static Predicate<NetworkDefinition> prune(JsonMapper json, String filters, Clock clock) {
        Map<String, List<String>> values = parse(json, filters, PRUNE);
        Predicate<NetworkDefinition> all = network -> true;
        for (String until : values.getOrDefault("until", List.of())) {
            Instant limit = until(until, clock);
            all = all.and(network -> network.created().isBefore(limit));
        }
        List<String> labels = values.getOrDefault("label", List.of());
        if (!labels.isEmpty()) {
            all = all.and(network -> ApiFilters.labelsMatch(labels, network.labels()::get));
        }
        for (String label : values.getOrDefault("label!", List.of())) {
            all = all.and(network -> !ApiFilters.labelsMatch(List.of(label), network.labels()::get));
        }
        return all;
    }

    private static Predicate<NetworkDefinition> type(List<String> wanted) {
        for (String value : wanted) {
            if (!value.equals("custom") && !value.equals("builtin")) {
                throw new BerthException(INVALID, "invalid filter: 'type'='" + value + "'");
            }
        }
        return network -> wanted.contains(network.isBuiltin() ? "builtin" : "custom");
    }

    private static Predicate<NetworkDefinition> dangling(List<String> wanted, Predicate<NetworkDefinition> inUse) {
        if (wanted.size() > 1) {
            throw new BerthException(INVALID, "got more than one value for filter key \"dangling\"");
        }
        boolean danglingOnly = switch (wanted.get(0)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new BerthException(INVALID, "invalid value for filter 'dangling', must be \"true\" (or "
                    + "\"1\"), or \"false\" (or \"0\")");
        };
        return network -> danglingOnly ? !network.isBuiltin() && !inUse.test(network)
                : network.isBuiltin() || inUse.test(network);
    }

    /** dockerd's {@code filters.Args.Match}: the value as an unanchored regular expression, or as text. */
    private static boolean matches(String value, String field) {
        if (field.equals(value)) {
            return true;
        }
        try {
            return Pattern.compile(value).matcher(field).find();
        } catch (PatternSyntaxException e) {
            return field.contains(value);
        }
    }

    private static Map<String, List<String>> parse(JsonMapper json, String filters, Set<String> accepted) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (filters == null || filters.isBlank()) {
            return values;
        }
        JsonNode root;
        try {
            root = json.readTree(filters);
        } catch (JacksonException e) {
            throw new BerthException(INVALID, "invalid filters: " + filters);
        }
        if (!root.isObject()) {
            throw new BerthException(INVALID, "invalid filters: " + filters);
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!accepted.contains(entry.getKey())) {
                throw new BerthException(INVALID, "Invalid filter '" + entry.getKey() + "'");
            }
            List<String> given = ApiFilters.values(entry.getValue());
            if (!given.isEmpty()) {
                values.put(entry.getKey(), given);
            }
        }
        return values;
    }

    /** Unix seconds (with a fraction), an RFC 3339 time, or a Go duration before now ({@code 10m}, {@code 1h30m}). */
    private static Instant until(String value, Clock clock) {
        try {
            BigDecimal seconds = new BigDecimal(value);
            return Instant.ofEpochSecond(0).plusNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            // not Unix seconds
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // not RFC 3339
        }
        Matcher matcher = DURATION.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            BigDecimal amount = new BigDecimal(matcher.group(1));
            long nanosPerUnit = switch (matcher.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw new BerthException(INVALID, "failed to parse value as time or duration: \"" + value + "\"");
        }
        return clock.instant().minus(total);
    }
}
