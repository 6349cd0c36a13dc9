package io.berth.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.berth.common.Digest;

/**
 * What Berth acknowledged, and what it was asked without answering, across every crash of a run: the expectation the
 * checks after each restart hold Berth to. An acknowledged write must be there, an acknowledged delete gone; a request
 * that got no answer before the kill may have taken effect or not, but never half.
 */
final class Ledger {

    /** The kinds of request a crash can interrupt. */
    enum Kind { BLOB_UPLOAD, MANIFEST_PUT, MANIFEST_DELETE, GC, TOKEN_REVOKE }

    /** An image as pushed: a manifest under a tag of its own, and the blobs it references. */
    record Image(String repository, String tag, Digest digest, byte[] manifest, List<Digest> blobs) {
    }

    /** A personal access token: its id, and the secret that signs in with it. */
    record Token(long id, String secret) {
    }

    private final Map<Digest, Image> live = new LinkedHashMap<>();
    private final Map<Digest, Image> pushing = new LinkedHashMap<>();
    private final Map<Digest, Image> deleted = new LinkedHashMap<>();
    private final Map<Digest, Image> deleting = new LinkedHashMap<>();
    private final Map<Long, Token> tokens = new LinkedHashMap<>();
    private final Map<Long, Token> revoked = new LinkedHashMap<>();
    private final Map<Long, Token> revoking = new LinkedHashMap<>();
    private final Map<Digest, Long> blobs = new LinkedHashMap<>();
    private final Map<Kind, Integer> inFlight = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> acknowledged = new EnumMap<>(Kind.class);
    private final List<String> unexpected = new ArrayList<>();
    private Instant lastCollection = Instant.EPOCH;
    private int acknowledgedThisRound;

    // The workload's side: each request is announced, then answered (or never, when Berth dies first).

    synchronized void sending(Kind kind) {
        inFlight.merge(kind, 1, Integer::sum);
    }

    synchronized void answered(Kind kind, boolean success) {
        inFlight.merge(kind, -1, Integer::sum);
        if (success) {
            acknowledged.merge(kind, 1, Integer::sum);
            acknowledgedThisRound++;
            notifyAll();
        }
    }

    synchronized void blobStored(Digest digest, long size) {
        blobs.put(digest, size);
    }

    synchronized void pushing(Image image) {
        pushing.put(image.digest(), image);
    }

    synchronized void pushed(Image image) {
        pushing.remove(image.digest());
        live.put(image.digest(), image);
        notifyAll();
    }

    /** Refused with an answer (a blob collected between its upload and the manifest): not there, and that is fine. */
    synchronized void refused(Image image) {
        pushing.remove(image.digest());
    }

    /** A live image to delete, once more than {@code keep} are live; empty if none came within the wait. */
    synchronized Optional<Image> deletable(int keep, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (live.size() <= keep) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Image oldest = live.values().iterator().next();
        live.remove(oldest.digest());
        deleting.put(oldest.digest(), oldest);
        return Optional.of(oldest);
    }

    synchronized void deleteAnswered(Image image, boolean success) {
        deleting.remove(image.digest());
        if (success) {
            deleted.put(image.digest(), image);
        } else {
            live.put(image.digest(), image);
        }
    }

    synchronized void collected(Instant startedAt) {
        if (startedAt.isAfter(lastCollection)) {
            lastCollection = startedAt;
        }
    }

    synchronized void tokenCreated(Token token) {
        tokens.put(token.id(), token);
    }

    synchronized void revoking(Token token) {
        tokens.remove(token.id());
        revoking.put(token.id(), token);
    }

    synchronized void revoked(Token token) {
        revoking.remove(token.id());
        revoked.put(token.id(), token);
    }

    synchronized void unexpected(String what) {
        unexpected.add(what);
    }

    /** Waits until {@code count} requests were acknowledged in this round (so that the kill lands amid work). */
    synchronized void awaitAcknowledged(int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (acknowledgedThisRound < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + acknowledgedThisRound + " of " + count
                        + " requests were answered within " + wait + "; unexpected answers: " + unexpected);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    // The checks' side, between a kill and the next round.

    /** What was in flight when Berth was killed, and a fresh count for the next round. */
    synchronized Map<Kind, Integer> killed() {
        Map<Kind, Integer> interrupted = new EnumMap<>(Kind.class);
        inFlight.forEach((kind, count) -> {
            if (count > 0) {
                interrupted.put(kind, count);
            }
        });
        inFlight.clear();
        acknowledgedThisRound = 0;
        return interrupted;
    }

    synchronized List<Image> live() {
        return List.copyOf(live.values());
    }

    synchronized List<Image> deleted() {
        return List.copyOf(deleted.values());
    }

    /** Pushes that got no answer: the checks find out whether each took effect, and settle it. */
    synchronized List<Image> unansweredPushes() {
        return List.copyOf(pushing.values());
    }

    synchronized void settlePush(Image image, boolean visible) {
        pushing.remove(image.digest());
        if (visible) {
            live.put(image.digest(), image);
        }
    }

    synchronized List<Image> unansweredDeletes() {
        return List.copyOf(deleting.values());
    }

    synchronized void settleDelete(Image image, boolean gone) {
        deleteAnswered(image, gone);
    }

    synchronized List<Token> liveTokens() {
        return List.copyOf(tokens.values());
    }

    synchronized List<Token> revokedTokens() {
        return List.copyOf(revoked.values());
    }

    synchronized List<Token> unansweredRevocations() {
        return List.copyOf(revoking.values());
    }

    synchronized void settleRevocation(Token token, boolean gone) {
        revoking.remove(token.id());
        (gone ? revoked : tokens).put(token.id(), token);
    }

    /** Every blob an upload of was acknowledged, with its size (collected since, or not). */
    synchronized Map<Digest, Long> blobs() {
        return new LinkedHashMap<>(blobs);
    }

    synchronized Instant lastCollection() {
        return lastCollection;
    }

    synchronized List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    synchronized Map<Kind, Integer> acknowledged() {
        return new EnumMap<>(acknowledged);
    }
}
