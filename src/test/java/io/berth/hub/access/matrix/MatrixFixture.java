package io.berth.hub.access.matrix;

import static io.berth.support.RegistryClient.OCI_MANIFEST;
import static io.berth.support.RegistryClient.bytes;
import static io.berth.support.RegistryClient.descriptor;
import static io.berth.support.RegistryClient.expect;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.berth.common.Digest;
import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.AccessTokenScope;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.RepositoryEntity;
import io.berth.hub.metadata.Visibility;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import io.berth.support.TestAccounts;

/**
 * The world of the access matrix, made once per run under names of its own (the database is shared with other test
 * classes): an organisation with an owner, a read team and a write team; a user in none of it; the administrator; a
 * public and a private repository of the organisation, each with a tagged image and a referrer of it; and the name of
 * a repository of the same organisation that is never created.
 *
 * <p>The three names have the same length ({@code public}, {@code secret}, {@code absent}), so an answer about the
 * private repository and one about the missing repository that echo the name the client sent have the same
 * Content-Length too, and can be compared as they are. Setup acts as the administrator and writes visibility
 * straight into the database: it must not depend on the permission decisions under test.
 */
public final class MatrixFixture {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    private static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY = bytes("{}");

    private final URI base;
    private final String organisation;
    private final Map<Actor, Credentials> credentials;
    private final Repositories repositories;
    private final RegistryClient admin;
    private final Map<Visibility, Published> published = new EnumMap<>(Visibility.class);
    private final Map<Actor, RegistryClient> registryClients = new EnumMap<>(Actor.class);
    private final Map<Actor, TokenFlow> tokenFlows = new EnumMap<>(Actor.class);
    private final Map<Actor, RestClient> restClients = new EnumMap<>(Actor.class);
    private final Map<String, String> mountTargets = new HashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    /**
     * A username and password, and a personal access token of the account with every scope (for the REST API, where
     * a password would be checked, slowly by design, on every request).
     */
    public record Credentials(String username, String password, String accessToken) {
    }

    /**
     * A repository of the fixture and what was pushed into it.
     *
     * @param referrer an artifact manifest whose subject is the image
     */
    public record Published(String name, Visibility visibility, String tag, Digest manifest, byte[] manifestBytes,
                            Digest config, long configSize, Digest layer, byte[] layerBytes, Digest referrer,
                            long referrerSize) {

        /** Everything pushed: tag, digests, sizes, and the size the REST API reports for the tag. */
        public Secrets secrets() {
            long tagSize = manifestBytes.length + configSize + layerBytes.length;
            return Secrets.of(List.of(tag), List.of(manifest, config, layer, referrer),
                    List.of((long) manifestBytes.length, configSize, (long) layerBytes.length, referrerSize, tagSize));
        }
    }

    private MatrixFixture(URI base, String organisation, Map<Actor, Credentials> credentials, Repositories repositories,
                          RegistryClient admin) {
        this.base = base;
        this.organisation = organisation;
        this.credentials = credentials;
        this.repositories = repositories;
        this.admin = admin;
    }

    public static MatrixFixture create(URI base, String adminPassword, AccountService accounts,
                                       AccessTokenService accessTokens, Authenticator authenticator,
                                       Repositories repositories) {
        String organisation = "matrix" + hex(4);
        Map<Actor, Credentials> credentials = new EnumMap<>(Actor.class);
        for (Actor actor : List.of(Actor.OWNER, Actor.READER, Actor.WRITER, Actor.OUTSIDER)) {
            String username = organisation + "-" + actor.label();
            String password = "password-" + hex(8);
            accounts.createUser(username, username + "@example.com", password, false);
            credentials.put(actor, new Credentials(username, password,
                    accessToken(accessTokens, authenticator, username, organisation)));
        }
        credentials.put(Actor.ADMINISTRATOR, new Credentials(TestAccounts.ADMIN, adminPassword,
                accessToken(accessTokens, authenticator, TestAccounts.ADMIN, organisation)));
        // The owner founds the organisation, so that the administrator is not a member and its row tests its privilege.
        Caller owner = authenticator.caller(credentials.get(Actor.OWNER).username());
        accounts.createOrganisation(owner, organisation, "access matrix");
        accounts.createTeam(owner, organisation, "readers", "read everything", RepositoryRole.READ);
        accounts.addMember(owner, organisation, "readers", credentials.get(Actor.READER).username());
        accounts.createTeam(owner, organisation, "writers", "push everything", RepositoryRole.WRITE);
        accounts.addMember(owner, organisation, "writers", credentials.get(Actor.WRITER).username());

        // Behind the scenes the administrator signs in with its access token: setup and checks need many tokens, and
        // a password is checked slowly by design. The actors of the matrix sign in with passwords, as docker login does.
        MatrixFixture fixture = new MatrixFixture(base, organisation, credentials, repositories,
                RegistryClient.as(base, TestAccounts.ADMIN, credentials.get(Actor.ADMINISTRATOR).accessToken()));
        fixture.published.put(Visibility.PUBLIC, fixture.publish(organisation + "/public", Visibility.PUBLIC));
        fixture.published.put(Visibility.PRIVATE, fixture.publish(organisation + "/secret", Visibility.PRIVATE));
        return fixture;
    }

    private static String accessToken(AccessTokenService accessTokens, Authenticator authenticator, String username,
                                      String organisation) {
        return accessTokens.create(authenticator.caller(username), "access matrix " + organisation,
                EnumSet.allOf(AccessTokenScope.class), null).secret();
    }

    public String organisation() {
        return organisation;
    }

    public URI base() {
        return base;
    }

    public Published repository(Visibility visibility) {
        return published.get(visibility);
    }

    /** A repository of the organisation that nobody ever creates. */
    public String missing() {
        return organisation + "/absent";
    }

    /** The administrator's client, for setting up and for looking behind a request's back. */
    public RegistryClient admin() {
        return admin;
    }

    public synchronized RegistryClient registryAs(Actor actor) {
        return registryClients.computeIfAbsent(actor, who -> who == Actor.ANONYMOUS
                ? RegistryClient.anonymous(base)
                : RegistryClient.as(base, credentials.get(who).username(), credentials.get(who).password()));
    }

    /** The actor's registry client with tokens kept per scope set: what the matrix sends its requests with. */
    public synchronized TokenFlow tokenFlowOf(Actor actor) {
        return tokenFlows.computeIfAbsent(actor, who -> new TokenFlow(registryAs(who), RegistryClient.unauthenticated(base)));
    }

    public synchronized RestClient restAs(Actor actor) {
        return restClients.computeIfAbsent(actor, who -> who == Actor.ANONYMOUS
                ? RestClient.anonymous(base)
                : RestClient.withAccessToken(base, credentials.get(who).accessToken()));
    }

    public String username(Actor actor) {
        return credentials.get(actor).username();
    }

    /** An image pushed into a repository to be deleted by a case, so that the fixture's own content stays. */
    public RegistryClient.Image pushThrowaway(String repository) {
        return admin.pushImage(repository, "gone-" + hex(4));
    }

    public static Secrets secretsOf(RegistryClient.Image image) {
        return Secrets.of(List.of(image.tag()), List.of(image.digest(), image.config(), image.layer()), List.of());
    }

    /** A repository of the organisation with an image, for a case that deletes a whole repository; same name length. */
    public RegistryClient.Image throwawayRepository(Visibility visibility) {
        String name = String.format("%s/gone%02d", organisation, counter.incrementAndGet() % 100);
        createRepository(name, visibility);
        return pushThrowaway(name);
    }

    /**
     * A repository the actor may push to (in its own namespace; the organisation's for the anonymous caller, who may
     * push nowhere), one per actor and purpose, private so that a blob mounted into it does not become readable to
     * others. The public and the private repository have different layers, so their mounts do not meet in it.
     */
    public synchronized String mountTarget(Actor actor, String purpose) {
        return mountTargets.computeIfAbsent(actor + " " + purpose, key -> {
            String namespace = actor.signedIn() ? credentials.get(actor).username() : organisation;
            String name = namespace + "/" + organisation + "-mount" + counter.incrementAndGet();
            createRepository(name, Visibility.PRIVATE);
            return name;
        });
    }

    /** An upload session the administrator opened; its id. */
    public String startUpload(String repository) {
        return expect(admin.send("POST", "/v2/" + repository + "/blobs/uploads/", null), 202)
                .headers().firstValue("Docker-Upload-UUID").orElseThrow();
    }

    public int next() {
        return counter.incrementAndGet();
    }

    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HEX.formatHex(random);
    }

    public static byte[] randomBytes(int length) {
        byte[] random = new byte[length];
        RANDOM.nextBytes(random);
        return random;
    }

    private void createRepository(String name, Visibility visibility) {
        repositories.saveAndFlush(new RepositoryEntity(name, visibility, Instant.now()));
    }

    /**
     * Creates the repository with its visibility before anything is pushed (a private one is never public for a
     * moment), then pushes a config, a layer and a manifest, tagged, and a referrer. Each is padded to a size of five
     * digits or more, random, so that a size in an answer can be recognised.
     */
    private Published publish(String name, Visibility visibility) {
        createRepository(name, visibility);
        String tag = "release-" + hex(4);
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"comment\":\"" + padding() + "\"}");
        byte[] layer = randomBytes(10_000 + RANDOM.nextInt(80_000));
        Digest configDigest = admin.pushBlob(name, config);
        Digest layerDigest = admin.pushBlob(name, layer);
        byte[] manifest = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OciImages.CONFIG_TYPE, configDigest, config.length) + ",\"layers\":["
                + descriptor(LAYER_TYPE, layerDigest, layer.length) + "],\"annotations\":{\"org.example.padding\":\""
                + padding() + "\"}}");
        expect(admin.putManifest(name, tag, OCI_MANIFEST, manifest), 201);
        Digest manifestDigest = Digest.sha256(manifest);

        Digest empty = admin.pushBlob(name, EMPTY);
        byte[] referrer = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom+json\",\"config\":"
                + descriptor(EMPTY_TYPE, empty, EMPTY.length) + ",\"layers\":[" + descriptor(EMPTY_TYPE, empty, EMPTY.length)
                + "],\"subject\":" + descriptor(OCI_MANIFEST, manifestDigest, manifest.length)
                + ",\"annotations\":{\"org.example.padding\":\"" + padding() + "\"}}");
        Digest referrerDigest = Digest.sha256(referrer);
        expect(admin.putManifest(name, referrerDigest.toString(), OCI_MANIFEST, referrer), 201);
        return new Published(name, visibility, tag, manifestDigest, manifest, configDigest, config.length, layerDigest,
                layer, referrerDigest, referrer.length);
    }

    private static String padding() {
        return "x".repeat(10_000 + RANDOM.nextInt(30_000));
    }
}
