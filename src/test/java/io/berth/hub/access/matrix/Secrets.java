package io.berth.hub.access.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.berth.common.Digest;

/**
 * What a refused caller must not learn about a repository: its tags, digests and sizes. The fixture makes every size
 * a number of five digits or more, so that finding one in an answer is not a coincidence with some small number
 * (a status, a short Content-Length).
 */
public record Secrets(Set<String> strings, Set<Long> sizes) {

    public Secrets {
        strings = Set.copyOf(strings);
        sizes = Set.copyOf(sizes);
    }

    public static Secrets of(Collection<String> tags, Collection<Digest> digests, Collection<Long> sizes) {
        Set<String> strings = new LinkedHashSet<>(tags);
        for (Digest digest : digests) {
            strings.add(digest.toString());
            strings.add(digest.hex()); // an answer that dropped the algorithm prefix would still give it away
        }
        return new Secrets(strings, new LinkedHashSet<>(sizes));
    }

    public static Secrets of(Collection<String> strings) {
        return new Secrets(new LinkedHashSet<>(strings), Set.of());
    }

    public Secrets plus(Secrets other) {
        Set<String> allStrings = new LinkedHashSet<>(strings);
        allStrings.addAll(other.strings);
        Set<Long> allSizes = new LinkedHashSet<>(sizes);
        allSizes.addAll(other.sizes);
        return new Secrets(allStrings, allSizes);
    }

    /**
     * Fails when the response's status line, headers or body hold a secret, except one the client sent itself in
     * {@code request} (an echo of the client's own words tells it nothing).
     */
    public void assertNoneIn(HttpResponse<byte[]> response, Request request) {
        assertNoneIn(response, request.sentText(), request.toString());
    }

    public void assertNoneIn(HttpResponse<byte[]> response, String sentByClient, String what) {
        String answer = Responses.headersText(response) + "\n" + new String(response.body(), StandardCharsets.ISO_8859_1);
        List<String> leaked = strings.stream()
                .filter(secret -> !sentByClient.contains(secret) && answer.contains(secret))
                .toList();
        List<Long> leakedSizes = sizes.stream()
                .filter(size -> !standalone(size).matcher(sentByClient).find() && standalone(size).matcher(answer).find())
                .toList();
        assertThat(leaked).as("tags or digests leaked by %s: %s", what, Responses.describe(response)).isEmpty();
        assertThat(leakedSizes).as("sizes leaked by %s: %s", what, Responses.describe(response)).isEmpty();
    }

    /** The number on its own, not as part of a longer number or of a hex digest. */
    private static Pattern standalone(long size) {
        return Pattern.compile("(?<![0-9a-fA-F])" + size + "(?![0-9a-fA-F])");
    }
}
