package io.berth.engine.image;

import java.util.regex.Pattern;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * An image reference normalised as docker normalises it: {@code busybox} is {@code docker.io/library/busybox},
 * {@code localhost:5000/a/b:1} keeps its registry. Tag and digest are both optional ({@link #withDefaultTag} adds
 * {@code latest} where docker would).
 *
 * @param domain the registry ({@code docker.io}, {@code localhost:5000}, {@code 127.0.0.1:5055})
 * @param path   the repository inside it ({@code library/busybox})
 * @param tag    null when absent
 * @param digest null when absent
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final int MAX_NAME_LENGTH = 255;

    public ImageReference {
        if (domain == null || path == null) {
            throw invalid("a reference needs a registry and a repository");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw invalid("invalid tag format: " + tag);
        }
    }

    /** Parses what {@code docker pull} accepts: {@code [domain/]path[:tag][@digest]}. */
    public static ImageReference parse(String value) {
        if (value == null || value.isEmpty()) {
            throw invalid("invalid reference format: empty");
        }
        String rest = value;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (InvalidDigestException e) {
                throw invalid("invalid reference format: bad digest in " + value);
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid("invalid reference format: bad tag in " + value);
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            domain = first;
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw invalid("invalid reference format: bad registry in " + value);
            }
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            throw invalid("invalid reference format: repository name (" + path
                    + ") must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid("invalid reference format: " + value);
            }
        }
        if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw invalid("invalid reference format: repository name must not be more than "
                    + MAX_NAME_LENGTH + " characters");
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** Whether {@code value} parses as a reference. */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    /** The reference with tag {@code latest} when it has neither tag nor digest, as docker pulls and looks up. */
    /**
     * The name a new image gets ({@code docker import}, {@code commit}, {@code build}): {@code repository} with
     * {@code tag} applied when given, else its own tag or {@code latest}; null when there is no repository. A digest
     * is refused: an image cannot be made under one.
     *
     * @param action what makes the image, for the message ({@code import})
     */
    public static ImageReference forNewImage(String repository, String tag, String action) {
        if (repository == null || repository.isEmpty()) {
            return null;
        }
        ImageReference reference = parse(repository);
        if (reference.digest() != null) {
            throw invalid("cannot " + action + " digest reference: " + repository);
        }
        return tag != null && !tag.isEmpty() ? reference.withTag(tag) : reference.withDefaultTag();
    }

    public ImageReference withDefaultTag() {
        return tag == null && digest == null ? withTag("latest") : this;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(domain, path, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(domain, path, null, newDigest);
    }

    /** The repository with its registry: {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository as docker shows it: {@code busybox}, {@code grafana/grafana}, {@code localhost:5000/a/b}. */
    public String familiarName() {
        if (domain.equals(DOCKER_HUB)) {
            return path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0
                    ? path.substring("library/".length())
                    : path;
        }
        return name();
    }

    /** The full normalised form: {@code docker.io/library/busybox:latest}. */
    public String canonical() {
        return name() + suffix();
    }

    /** As docker prints it: {@code busybox:latest}, {@code localhost:5000/a/b@sha256:...}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** The host to connect to: docker.io's registry API lives on registry-1.docker.io. */
    public String registryHost() {
        return domain.equals(DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** A string docker would not accept as a reference; the message says what is wrong. */
    static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }

    @Override
    public String toString() {
        return familiar();
    }
}
