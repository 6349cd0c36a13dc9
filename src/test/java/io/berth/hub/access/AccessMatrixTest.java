package io.berth.hub.access;

import static io.berth.hub.access.caller.RepositoryRole.READ;
import static io.berth.hub.access.caller.RepositoryRole.WRITE;
import static io.berth.support.RegistryClient.OCI_INDEX;
import static io.berth.support.RegistryClient.OCI_MANIFEST;
import static io.berth.support.RegistryClient.expect;
import static io.berth.support.RegistryClient.json;
import static io.berth.support.RegistryClient.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import io.berth.common.Digest;
import io.berth.hub.access.account.AccessTokenService;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.access.matrix.Actor;
import io.berth.hub.access.matrix.MatrixFixture;
import io.berth.hub.access.matrix.MatrixFixture.Published;
import io.berth.hub.access.matrix.Outcome;
import io.berth.hub.access.matrix.Request;
import io.berth.hub.access.matrix.Responses;
import io.berth.hub.access.matrix.RestClient;
import io.berth.hub.access.matrix.Secrets;
import io.berth.hub.access.matrix.TokenClaims;
import io.berth.hub.metadata.Repositories;
import io.berth.hub.metadata.Visibility;
import io.berth.support.BearerChallenge;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.RegistryClient;

/**
 * The acceptance matrix: anonymous, owner, organisation member with read, with write, outsider and
 * administrator, against a public and a private repository, over every Distribution endpoint and the REST API. Each
 * request either works, or answers exactly as the same request about a repository that was never created, without
 * a tag, digest or size of the repository in it.
 *
 * <p>The expected outcome of every cell follows from the permission model in {@link Actor#roleOn} and the role an
 * endpoint needs ({@link Endpoint}). A cell that does not work is compared with its twin, the same request by the same
 * actor about something that does not exist: mostly the missing repository's name in place of the repository's; for
 * a mount without {@code from=} or a digest asked of another repository, a digest nobody pushed; for an upload
 * reached through another repository, an upload id never issued. Refusals must also leave the repository as it was.
 * Anonymous requests must meet the token protocol's challenge first, the same for the twin. See {@link MatrixFixture}
 * for what the repositories hold.
 */
class AccessMatrixTest extends BerthIntegrationTest {

    private static final String ACCEPT_MANIFESTS = OCI_MANIFEST + ", " + OCI_INDEX;

    /** Made once: the dynamic tests and the nested REST class share it. */
    private static MatrixFixture fixture;

    @Autowired
    AccountService accounts;

    @Autowired
    AccessTokenService accessTokens;

    @Autowired
    Authenticator authenticator;

    @Autowired
    Repositories repositories;

    private synchronized MatrixFixture fixture() {
        if (fixture == null) {
            fixture = MatrixFixture.create(baseUri(), ADMIN_PASSWORD, accounts, accessTokens, authenticator, repositories);
        }
        return fixture;
    }

    // ---- the Distribution API

    /** What the matrix asks of the Distribution API, and the role on the repository each asks for. */
    enum Endpoint {
        CATALOG("GET /v2/_catalog", READ),
        MANIFEST_HEAD_BY_TAG("HEAD manifest by tag", READ),
        MANIFEST_GET_BY_TAG("GET manifest by tag", READ),
        MANIFEST_HEAD_BY_DIGEST("HEAD manifest by digest", READ),
        MANIFEST_GET_BY_DIGEST("GET manifest by digest", READ),
        BLOB_HEAD("HEAD blob", READ),
        BLOB_GET("GET blob", READ),
        TAGS_LIST("GET tags/list", READ),
        REFERRERS("GET referrers", READ),
        UPLOAD_START("POST upload", WRITE),
        UPLOAD_PATCH("PATCH upload session", WRITE),
        UPLOAD_PUT("PUT upload session", WRITE),
        UPLOAD_STATUS("GET upload session", WRITE),
        UPLOAD_CANCEL("DELETE upload session", WRITE),
        MONOLITHIC_UPLOAD("POST blob with ?digest=", WRITE),
        MANIFEST_PUT("PUT manifest", WRITE),
        MANIFEST_DELETE("DELETE manifest", RepositoryRole.ADMIN),
        TAG_DELETE("DELETE tag", RepositoryRole.ADMIN),
        BLOB_DELETE("DELETE blob", RepositoryRole.ADMIN),
        // Into the caller's own namespace: reading the source is what is at stake.
        MOUNT_FROM("mount its blob with from=", READ),
        MOUNT_WITHOUT_FROM("mount its blob without from=", READ),
        // Its upload session addressed through a repository of the caller's own, where the token does allow the
        // push: an upload belongs to the repository it was started in, so no role is enough.
        FOREIGN_UPLOAD_PATCH("PATCH its upload session via own repository", null),
        FOREIGN_UPLOAD_PUT("PUT its upload session via own repository", null),
        FOREIGN_UPLOAD_STATUS("GET its upload session via own repository", null),
        FOREIGN_UPLOAD_CANCEL("DELETE its upload session via own repository", null),
        // Its digests asked of a repository of the caller's own: the storage is shared, the answers must not be.
        FOREIGN_BLOB_HEAD("HEAD its blob via own repository", null),
        FOREIGN_MANIFEST_HEAD("HEAD its manifest via own repository", null);

        final String label;
        /** The role on the repository the request needs; null when no role is enough. */
        final RepositoryRole needs;

        Endpoint(String label, RepositoryRole needs) {
            this.label = label;
            this.needs = needs;
        }

        boolean mounts() {
            return this == MOUNT_FROM || this == MOUNT_WITHOUT_FROM;
        }
    }

    /** One cell of the matrix. */
    record Case(Actor actor, Visibility visibility, Endpoint endpoint, Outcome expected) {

        String displayName() {
            return actor + " " + endpoint.label + " on " + visibility.wireName() + " → " + expected;
        }
    }

    static Outcome expected(Actor actor, Visibility visibility, Endpoint endpoint) {
        boolean allowed = endpoint.needs != null && actor.roleOn(visibility).includes(endpoint.needs)
                // The anonymous caller has no namespace to mount into, and may push nowhere.
                && !(endpoint.mounts() && !actor.signedIn());
        return allowed ? Outcome.WORKS : Outcome.AS_MISSING;
    }

    static List<Case> distributionCases(Endpoint endpoint) {
        List<Case> cases = new ArrayList<>();
        for (Visibility visibility : Visibility.values()) {
            for (Actor actor : Actor.values()) {
                cases.add(new Case(actor, visibility, endpoint, expected(actor, visibility, endpoint)));
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicNode> distributionApi() {
        MatrixFixture f = fixture();
        Stream<DynamicNode> base = Stream.of(dynamicContainer("GET /v2/", Arrays.stream(Actor.values())
                .map(actor -> dynamicTest(actor + " GET /v2/ → works", () -> ping(actor)))));
        Stream<DynamicNode> tokens = Stream.of(dynamicContainer("token", Arrays.stream(Visibility.values())
                .flatMap(visibility -> Arrays.stream(Actor.values()).map(actor -> dynamicTest(
                        actor + " token for " + visibility.wireName() + " → " + actions(actor.roleOn(visibility))
                                + (visibility == Visibility.PRIVATE ? ", as for missing" : ""),
                        () -> token(actor, visibility))))));
        Stream<DynamicNode> endpoints = Arrays.stream(Endpoint.values()).map(endpoint -> dynamicContainer(endpoint.label,
                distributionCases(endpoint).stream()
                        .map(c -> dynamicTest(c.displayName(), () -> named(c.displayName(), () -> run(c))))));
        Stream<DynamicNode> stillMissing = Stream.of(dynamicTest("the missing repository was never created", () ->
                assertThat(json(expect(f.admin().get("/v2/" + f.missing() + "/tags/list"), 404)).toString())
                        .contains("NAME_UNKNOWN")));
        return Stream.of(base, tokens, endpoints, stillMissing).flatMap(nodes -> nodes);
    }

    /**
     * Runs a case with its display name in front of any failure: build tools list dynamic tests by index, and a
     * failure should say which cell of the matrix it is.
     */
    static void named(String displayName, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(displayName + "\n" + e.getMessage(), e);
        }
    }

    private void ping(Actor actor) {
        if (!actor.signedIn()) {
            BearerChallenge challenge = Responses.assertBearerChallenge(unauthenticated().get("/v2/"));
            assertThat(challenge.scopes()).isEmpty();
        }
        HttpResponse<byte[]> response = expect(fixture().registryAs(actor).get("/v2/"), 200);
        assertThat(Responses.body(response)).isEqualTo("{}");
    }

    /**
     * The token endpoint grants what the model says; for the private repository it grants exactly what it grants for
     * the missing one, so the token itself tells nothing either.
     */
    private void token(Actor actor, Visibility visibility) {
        MatrixFixture f = fixture();
        String name = f.repository(visibility).name();
        RegistryClient client = f.registryAs(actor);
        JsonNode access = TokenClaims.access(client.token("repository:" + name + ":pull,push,delete"));
        assertThat(grantedActions(access, name)).as("actions granted on %s in %s", name, access)
                .containsExactlyInAnyOrderElementsOf(actor.roleOn(visibility).actions());
        if (visibility == Visibility.PRIVATE) {
            JsonNode twin = TokenClaims.access(client.token("repository:" + f.missing() + ":pull,push,delete"));
            assertThat(access.toString()).isEqualTo(twin.toString().replace(f.missing(), name));
        }
    }

    /** A role's actions in the protocol's order, for display: {@code [pull, push]}. */
    private static List<String> actions(RepositoryRole role) {
        return Stream.of("pull", "push", "delete").filter(role.actions()::contains).toList();
    }

    private static List<String> grantedActions(JsonNode access, String name) {
        List<String> actions = new ArrayList<>();
        access.forEach(entry -> {
            if ("repository".equals(entry.get("type").asString()) && name.equals(entry.get("name").asString())) {
                actions.addAll(strings(entry.get("actions")));
            }
        });
        return actions;
    }

    private void run(Case c) {
        if (c.endpoint() == Endpoint.CATALOG) {
            catalog(c);
            return;
        }
        Probe probe = prepare(c);
        if (!c.actor().signedIn()) {
            challengeComesFirst(probe);
        }
        HttpResponse<byte[]> response = send(c.actor(), probe.request());
        if (c.expected() == Outcome.WORKS) {
            probe.whenWorks().accept(response);
            return;
        }
        HttpResponse<byte[]> twin = send(c.actor(), probe.twin());
        Responses.assertIndistinguishable(response, twin, probe.twinToRequest());
        probe.secrets().assertNoneIn(response, probe.request());
        probe.whenRefused().accept(response);
    }

    /**
     * A request to the repository, the same request about the missing repository, and what to check of the answer.
     *
     * @param twinToRequest what differs between the two requests, twin's → request's, to compare the answers by
     * @param secrets       what the answer to a refused request must not hold
     * @param whenRefused   checks of a refusal beyond its likeness to the twin: that it is the token's refusal, or a
     *                      new upload, and that nothing changed
     */
    private record Probe(Request request, Request twin, Map<String, String> twinToRequest, Secrets secrets,
                         Consumer<HttpResponse<byte[]>> whenWorks, Consumer<HttpResponse<byte[]>> whenRefused) {
    }

    /** A probe whose request names the repository; refusals come from the token, as 401 insufficient_scope. */
    private Probe probe(String name, Function<String, Request> request, Secrets secrets,
                        Consumer<HttpResponse<byte[]>> whenWorks, Runnable unchangedAfterRefusal) {
        String missing = fixture().missing();
        return new Probe(request.apply(name), request.apply(missing), Map.of(missing, name), secrets, whenWorks,
                response -> {
                    deniedByToken(response);
                    unchangedAfterRefusal.run();
                });
    }

    private Probe prepare(Case c) {
        MatrixFixture f = fixture();
        RegistryClient admin = f.admin();
        Published repo = f.repository(c.visibility());
        String name = repo.name();
        Secrets secrets = repo.secrets();
        Runnable nothing = () -> { };
        return switch (c.endpoint()) {
            case MANIFEST_HEAD_BY_TAG -> probe(name, n -> manifest("HEAD", n, repo.tag()), secrets,
                    response -> assertManifestHead(response, repo), nothing);
            case MANIFEST_GET_BY_TAG -> probe(name, n -> manifest("GET", n, repo.tag()), secrets,
                    response -> assertThat(expect(response, 200).body()).isEqualTo(repo.manifestBytes()), nothing);
            case MANIFEST_HEAD_BY_DIGEST -> probe(name, n -> manifest("HEAD", n, repo.manifest().toString()), secrets,
                    response -> assertManifestHead(response, repo), nothing);
            case MANIFEST_GET_BY_DIGEST -> probe(name, n -> manifest("GET", n, repo.manifest().toString()), secrets,
                    response -> assertThat(expect(response, 200).body()).isEqualTo(repo.manifestBytes()), nothing);
            case BLOB_HEAD -> probe(name, n -> Request.of("HEAD", blobPath(n, repo.layer())), secrets, response -> {
                expect(response, 200);
                assertThat(response.headers().firstValue("Content-Length"))
                        .hasValue(Long.toString(repo.layerBytes().length));
                assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(repo.layer().toString());
            }, nothing);
            case BLOB_GET -> probe(name, n -> Request.of("GET", blobPath(n, repo.layer())), secrets,
                    response -> assertThat(expect(response, 200).body()).isEqualTo(repo.layerBytes()), nothing);
            case TAGS_LIST -> probe(name, n -> Request.of("GET", "/v2/" + n + "/tags/list"), secrets, response -> {
                JsonNode tags = json(expect(response, 200));
                assertThat(tags.get("name").asString()).isEqualTo(name);
                assertThat(strings(tags.get("tags"))).contains(repo.tag());
            }, nothing);
            case REFERRERS -> probe(name, n -> Request.of("GET", "/v2/" + n + "/referrers/" + repo.manifest()), secrets,
                    response -> {
                        List<String> digests = new ArrayList<>();
                        json(expect(response, 200)).get("manifests")
                                .forEach(referrer -> digests.add(referrer.get("digest").asString()));
                        assertThat(digests).containsExactly(repo.referrer().toString());
                    }, nothing);
            case UPLOAD_START -> probe(name, n -> Request.of("POST", "/v2/" + n + "/blobs/uploads/"), secrets,
                    response -> {
                        expect(response, 202);
                        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                                location -> assertThat(location).startsWith("/v2/" + name + "/blobs/uploads/"));
                    }, nothing);
            case UPLOAD_PATCH -> {
                String upload = f.startUpload(name);
                byte[] chunk = MatrixFixture.randomBytes(16);
                yield probe(name, n -> Request.of("PATCH", uploadPath(n, upload),
                        "Content-Type", "application/octet-stream", "Content-Range", "0-15").withBody(chunk), secrets,
                        response -> {
                    expect(response, 202);
                    assertThat(response.headers().firstValue("Range")).hasValue("0-15");
                }, () -> assertUploadUntouched(name, upload));
            }
            case UPLOAD_PUT -> {
                String upload = f.startUpload(name);
                byte[] blob = MatrixFixture.randomBytes(32);
                Digest digest = Digest.sha256(blob);
                yield probe(name, n -> Request.of("PUT", uploadPath(n, upload) + "?digest=" + digest,
                        "Content-Type", "application/octet-stream").withBody(blob), secrets, response -> {
                    expect(response, 201);
                    assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
                    expect(admin.head(blobPath(name, digest)), 200);
                }, () -> {
                    assertUploadUntouched(name, upload);
                    expect(admin.head(blobPath(name, digest)), 404);
                });
            }
            case UPLOAD_STATUS -> {
                String upload = f.startUpload(name);
                yield probe(name, n -> Request.of("GET", uploadPath(n, upload)), secrets, response -> {
                    expect(response, 204);
                    assertThat(response.headers().firstValue("Docker-Upload-UUID")).hasValue(upload);
                    assertThat(response.headers().firstValue("Range")).hasValue("0-0");
                }, nothing);
            }
            case UPLOAD_CANCEL -> {
                String upload = f.startUpload(name);
                yield probe(name, n -> Request.of("DELETE", uploadPath(n, upload)), secrets, response -> {
                    expect(response, 204);
                    expect(admin.get(uploadPath(name, upload)), 404);
                }, () -> assertUploadUntouched(name, upload));
            }
            case FOREIGN_UPLOAD_PATCH, FOREIGN_UPLOAD_PUT, FOREIGN_UPLOAD_STATUS, FOREIGN_UPLOAD_CANCEL ->
                    foreignUpload(c, repo);
            case FOREIGN_BLOB_HEAD, FOREIGN_MANIFEST_HEAD -> foreignDigest(c, repo);
            case MONOLITHIC_UPLOAD -> {
                byte[] blob = MatrixFixture.randomBytes(32);
                Digest digest = Digest.sha256(blob);
                yield probe(name, n -> Request.of("POST", "/v2/" + n + "/blobs/uploads/?digest=" + digest,
                        "Content-Type", "application/octet-stream").withBody(blob), secrets, response -> {
                    expect(response, 201);
                    expect(admin.head(blobPath(name, digest)), 200);
                }, () -> expect(admin.head(blobPath(name, digest)), 404));
            }
            case MANIFEST_PUT -> {
                // The fixture's own manifest under a new tag: it would be accepted, since the repository has its blobs.
                String tag = "pushed-" + MatrixFixture.hex(4);
                yield probe(name, n -> Request.of("PUT", "/v2/" + n + "/manifests/" + tag, "Content-Type", OCI_MANIFEST)
                        .withBody(repo.manifestBytes()), secrets, response -> {
                    expect(response, 201);
                    assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(repo.manifest().toString());
                    expect(admin.head("/v2/" + name + "/manifests/" + tag, "Accept", ACCEPT_MANIFESTS), 200);
                }, () -> expect(admin.head("/v2/" + name + "/manifests/" + tag, "Accept", ACCEPT_MANIFESTS), 404));
            }
            case MANIFEST_DELETE -> {
                RegistryClient.Image doomed = f.pushThrowaway(name);
                String path = "/v2/" + name + "/manifests/" + doomed.digest();
                yield probe(name, n -> Request.of("DELETE", "/v2/" + n + "/manifests/" + doomed.digest()),
                        secrets.plus(MatrixFixture.secretsOf(doomed)), response -> {
                            expect(response, 202);
                            expect(admin.head(path, "Accept", ACCEPT_MANIFESTS), 404);
                        }, () -> expect(admin.head(path, "Accept", ACCEPT_MANIFESTS), 200));
            }
            case TAG_DELETE -> {
                RegistryClient.Image doomed = f.pushThrowaway(name);
                String byTag = "/v2/" + name + "/manifests/" + doomed.tag();
                yield probe(name, n -> Request.of("DELETE", "/v2/" + n + "/manifests/" + doomed.tag()),
                        secrets.plus(MatrixFixture.secretsOf(doomed)), response -> {
                            expect(response, 202);
                            expect(admin.head(byTag, "Accept", ACCEPT_MANIFESTS), 404);
                            expect(admin.head("/v2/" + name + "/manifests/" + doomed.digest(), "Accept",
                                    ACCEPT_MANIFESTS), 200);
                        }, () -> expect(admin.head(byTag, "Accept", ACCEPT_MANIFESTS), 200));
            }
            case BLOB_DELETE -> {
                RegistryClient.Image doomed = f.pushThrowaway(name);
                yield probe(name, n -> Request.of("DELETE", blobPath(n, doomed.layer())),
                        secrets.plus(MatrixFixture.secretsOf(doomed)), response -> {
                            expect(response, 202);
                            expect(admin.head(blobPath(name, doomed.layer())), 404);
                        }, () -> expect(admin.head(blobPath(name, doomed.layer())), 200));
            }
            case MOUNT_FROM -> mountFrom(c, repo);
            case MOUNT_WITHOUT_FROM -> mountWithoutFrom(c, repo);
            case CATALOG -> throw new IllegalArgumentException("the catalog has no twin request: see catalog()");
        };
    }

    /**
     * An upload session of the repository, holding a chunk, reached through a repository the actor may push to. The
     * twin addresses an upload id that was never issued: the answer must be the same, and the upload untouched.
     */
    private Probe foreignUpload(Case c, Published repo) {
        MatrixFixture f = fixture();
        RegistryClient admin = f.admin();
        String own = f.mountTarget(c.actor(), "uploads of others");
        String upload = f.startUpload(repo.name());
        byte[] chunk = MatrixFixture.randomBytes(16);
        expect(admin.send("PATCH", uploadPath(repo.name(), upload), chunk, "Content-Type", "application/octet-stream",
                "Content-Range", "0-15"), 202);
        Digest digest = Digest.sha256(chunk);
        byte[] nextChunk = MatrixFixture.randomBytes(16);
        String neverIssued = UUID.randomUUID().toString();
        Function<String, Request> request = switch (c.endpoint()) {
            case FOREIGN_UPLOAD_PATCH -> id -> Request.of("PATCH", uploadPath(own, id), "Content-Type",
                    "application/octet-stream", "Content-Range", "16-31").withBody(nextChunk);
            case FOREIGN_UPLOAD_PUT -> id -> Request.of("PUT", uploadPath(own, id) + "?digest=" + digest);
            case FOREIGN_UPLOAD_STATUS -> id -> Request.of("GET", uploadPath(own, id));
            case FOREIGN_UPLOAD_CANCEL -> id -> Request.of("DELETE", uploadPath(own, id));
            default -> throw new IllegalArgumentException(c.endpoint().label);
        };
        return new Probe(request.apply(upload), request.apply(neverIssued), Map.of(neverIssued, upload), repo.secrets(),
                response -> {
                    throw new AssertionError("no role lets an upload be reached through another repository");
                },
                response -> {
                    if (c.actor().signedIn()) {
                        assertThat(response.statusCode()).as(Responses.describe(response)).isEqualTo(404);
                        assertThat(Responses.body(response)).contains("BLOB_UPLOAD_UNKNOWN");
                    } else {
                        deniedByToken(response);
                    }
                    HttpResponse<byte[]> status = expect(admin.get(uploadPath(repo.name(), upload)), 204);
                    assertThat(status.headers().firstValue("Range")).as("the upload keeps its one chunk").hasValue("0-15");
                    expect(admin.head(blobPath(own, digest)), 404);
                });
    }

    /**
     * The repository's layer or manifest asked of a repository the actor may read and push to, which does not have
     * it: the answer must be that of a digest nobody ever pushed.
     */
    private Probe foreignDigest(Case c, Published repo) {
        String own = fixture().mountTarget(c.actor(), "digests of others");
        Digest nobodys = Digest.sha256(MatrixFixture.randomBytes(32));
        Function<Digest, Request> request = c.endpoint() == Endpoint.FOREIGN_BLOB_HEAD
                ? digest -> Request.of("HEAD", blobPath(own, digest))
                : digest -> manifest("HEAD", own, digest.toString());
        Digest asked = c.endpoint() == Endpoint.FOREIGN_BLOB_HEAD ? repo.layer() : repo.manifest();
        return new Probe(request.apply(asked), request.apply(nobodys), Map.of(nobodys.toString(), asked.toString()),
                repo.secrets(), response -> {
                    throw new AssertionError("no role lets a digest be read through another repository");
                }, response -> {
                    if (c.actor().signedIn()) {
                        assertThat(response.statusCode()).as(Responses.describe(response)).isEqualTo(404);
                    } else {
                        deniedByToken(response);
                    }
                });
    }

    /**
     * Mounting the repository's layer into a repository of the actor's own, naming the repository as the source. The
     * token is asked for the source too, as docker asks it: without it no mount could ever succeed.
     */
    private Probe mountFrom(Case c, Published repo) {
        MatrixFixture f = fixture();
        String target = f.mountTarget(c.actor(), "mount with from");
        Function<String, Request> mount = source -> Request.of("POST",
                        "/v2/" + target + "/blobs/uploads/?mount=" + repo.layer() + "&from=" + source)
                .withTokenScopes("repository:" + target + ":pull,push", "repository:" + source + ":pull");
        return new Probe(mount.apply(repo.name()), mount.apply(f.missing()), Map.of(f.missing(), repo.name()),
                repo.secrets(), response -> assertMounted(response, target, repo.layer()),
                response -> assertNewUploadInstead(c.actor(), response, target, repo.layer()));
    }

    /**
     * Mounting the repository's layer without naming a source: the registry may take it from any repository the
     * caller reads. The twin mounts a digest that no repository has.
     */
    private Probe mountWithoutFrom(Case c, Published repo) {
        MatrixFixture f = fixture();
        String target = f.mountTarget(c.actor(), "mount without from");
        Digest nobodys = Digest.sha256(MatrixFixture.randomBytes(32));
        Function<Digest, Request> mount = digest -> Request.of("POST", "/v2/" + target + "/blobs/uploads/?mount=" + digest);
        return new Probe(mount.apply(repo.layer()), mount.apply(nobodys), Map.of(nobodys.toString(), repo.layer().toString()),
                repo.secrets(), response -> assertMounted(response, target, repo.layer()),
                response -> assertNewUploadInstead(c.actor(), response, target, repo.layer()));
    }

    private void assertMounted(HttpResponse<byte[]> response, String target, Digest layer) {
        expect(response, 201);
        assertThat(response.headers().firstValue("Location")).hasValue(blobPath(target, layer));
        expect(fixture().admin().head(blobPath(target, layer)), 200);
    }

    /** A signed-in caller that may not read the source gets a new upload (202), never the mount (201). */
    private void assertNewUploadInstead(Actor actor, HttpResponse<byte[]> response, String target, Digest layer) {
        if (actor.signedIn()) {
            assertThat(response.statusCode()).as("a new upload, not a mount: %s", Responses.describe(response)).isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).startsWith("/v2/" + target + "/blobs/uploads/"));
        } else {
            deniedByToken(response);
        }
        expect(fixture().admin().head(blobPath(target, layer)), 404);
    }

    /**
     * The catalog lists the private repository only to those who read it; to the others it is as absent as the
     * missing one. The public repository is listed to all, so an empty catalog does not pass.
     */
    private void catalog(Case c) {
        MatrixFixture f = fixture();
        Published repo = f.repository(c.visibility());
        if (!c.actor().signedIn()) {
            BearerChallenge challenge = Responses.assertBearerChallenge(unauthenticated().get("/v2/_catalog"));
            assertThat(challenge.scopes()).containsExactly("registry:catalog:*");
        }
        HttpResponse<byte[]> response = expect(f.registryAs(c.actor()).get("/v2/_catalog"), 200);
        assertThat(response.headers().firstValue("Link")).as("the whole catalog fits one page").isEmpty();
        List<String> names = strings(json(response).get("repositories"));
        assertThat(names).doesNotContain(f.missing()).contains(f.repository(Visibility.PUBLIC).name());
        if (c.expected() == Outcome.WORKS) {
            assertThat(names).contains(repo.name());
        } else {
            assertThat(names).doesNotContain(repo.name());
            Secrets.of(List.of(repo.name())).plus(repo.secrets()).assertNoneIn(response, "", "GET /v2/_catalog");
        }
    }

    /** An anonymous client learns of the token protocol first, and the challenge is the same as for the missing one. */
    private void challengeComesFirst(Probe probe) {
        RegistryClient raw = unauthenticated();
        HttpResponse<byte[]> first = raw.send(probe.request().method(), probe.request().path(), probe.request().body(),
                probe.request().headerArray());
        BearerChallenge challenge = Responses.assertBearerChallenge(first);
        assertThat(challenge.error()).isNull();
        assertThat(challenge.scopes()).anyMatch(scope -> scope.startsWith("repository:"));
        HttpResponse<byte[]> twin = raw.send(probe.twin().method(), probe.twin().path(), probe.twin().body(),
                probe.twin().headerArray());
        Responses.assertIndistinguishable(first, twin, probe.twinToRequest());
    }

    /** The registry refused the token: 401, insufficient_scope, DENIED. */
    private static void deniedByToken(HttpResponse<byte[]> response) {
        BearerChallenge challenge = Responses.assertBearerChallenge(response);
        assertThat(challenge.error()).isEqualTo("insufficient_scope");
        if (!"HEAD".equals(response.request().method())) {
            assertThat(Responses.body(response)).contains("\"DENIED\"");
        }
    }

    private void assertManifestHead(HttpResponse<byte[]> response, Published repo) {
        expect(response, 200);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(repo.manifest().toString());
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(repo.manifestBytes().length));
    }

    /** The administrator still finds the upload, empty. */
    private void assertUploadUntouched(String name, String upload) {
        HttpResponse<byte[]> status = expect(fixture().admin().get(uploadPath(name, upload)), 204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-0");
    }

    private HttpResponse<byte[]> send(Actor actor, Request request) {
        return fixture().tokenFlowOf(actor).send(request);
    }

    private RegistryClient unauthenticated() {
        return RegistryClient.unauthenticated(baseUri());
    }

    private static Request manifest(String method, String name, String reference) {
        return Request.of(method, "/v2/" + name + "/manifests/" + reference, "Accept", ACCEPT_MANIFESTS);
    }

    private static String blobPath(String name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    private static String uploadPath(String name, String upload) {
        return "/v2/" + name + "/blobs/uploads/" + upload;
    }

    // ---- the REST API

    /**
     * The REST API's repository endpoints, as its contract has them: private means private, so whoever may not read
     * the repository gets the answer for one never created (404, "repository not found: <name>"), and search leaves
     * it out. Signs in with personal access tokens (see {@link MatrixFixture.Credentials}). Runs after the
     * Distribution matrix: JUnit runs nested classes last.
     */
    @Nested
    class RestApi {

        /** What the matrix asks of the REST API, and the role on the repository each asks for. */
        enum RestEndpoint {
            GET_REPOSITORY("GET /api/v1/repositories/{name}", READ),
            GET_TAGS("GET /api/v1/repositories/{name}/-/tags", READ),
            PATCH_REPOSITORY("PATCH /api/v1/repositories/{name}", RepositoryRole.ADMIN),
            DELETE_REPOSITORY("DELETE /api/v1/repositories/{name}", RepositoryRole.ADMIN),
            STAR("PUT /api/v1/repositories/{name}/-/star", READ),
            SEARCH("GET /api/v1/repositories?q=<organisation>", READ);

            final String label;
            final RepositoryRole needs;

            RestEndpoint(String label, RepositoryRole needs) {
                this.label = label;
                this.needs = needs;
            }
        }

        record RestCase(Actor actor, Visibility visibility, RestEndpoint endpoint, Outcome expected) {

            String displayName() {
                return actor + " " + endpoint.label + " on " + visibility.wireName() + " → " + expected;
            }
        }

        /**
         * Who cannot read the repository gets the missing repository's answer; who can read it but lacks the role is
         * refused (401 when signing in would help); stars need a signed-in caller.
         */
        static Outcome expected(Actor actor, Visibility visibility, RestEndpoint endpoint) {
            RepositoryRole role = actor.roleOn(visibility);
            if (!role.includes(READ)) {
                return Outcome.AS_MISSING;
            }
            boolean needsSignIn = endpoint == RestEndpoint.PATCH_REPOSITORY
                    || endpoint == RestEndpoint.DELETE_REPOSITORY || endpoint == RestEndpoint.STAR;
            boolean allowed = role.includes(endpoint.needs) && (actor.signedIn() || !needsSignIn);
            return allowed ? Outcome.WORKS : Outcome.REFUSED;
        }

        @TestFactory
        Stream<DynamicNode> repositories() {
            fixture();
            return Arrays.stream(RestEndpoint.values()).map(endpoint -> dynamicContainer(endpoint.label,
                    Arrays.stream(Visibility.values())
                            .flatMap(visibility -> Arrays.stream(Actor.values()).map(actor ->
                                    new RestCase(actor, visibility, endpoint, expected(actor, visibility, endpoint))))
                            .map(c -> dynamicTest(c.displayName(), () -> named(c.displayName(), () -> run(c))))));
        }

        private void run(RestCase c) {
            if (c.endpoint() == RestEndpoint.SEARCH) {
                search(c);
                return;
            }
            MatrixFixture f = fixture();
            Published repo = f.repository(c.visibility());
            Secrets secrets = repo.secrets();
            String name = repo.name();
            if (c.endpoint() == RestEndpoint.DELETE_REPOSITORY) {
                RegistryClient.Image throwaway = f.throwawayRepository(c.visibility());
                name = throwaway.repository();
                secrets = MatrixFixture.secretsOf(throwaway);
            }
            String description = c.actor() + " was here " + MatrixFixture.hex(4);
            Function<String, HttpResponse<byte[]>> request = switch (c.endpoint()) {
                case GET_REPOSITORY -> n -> rest(c.actor(), "GET", repositoryPath(n), null);
                case GET_TAGS -> n -> rest(c.actor(), "GET", repositoryPath(n) + "/-/tags", null);
                case PATCH_REPOSITORY -> n -> rest(c.actor(), "PATCH", repositoryPath(n),
                        "{\"description\":\"" + description + "\"}");
                case DELETE_REPOSITORY -> n -> rest(c.actor(), "DELETE", repositoryPath(n), null);
                case STAR -> n -> rest(c.actor(), "PUT", repositoryPath(n) + "/-/star", null);
                case SEARCH -> throw new IllegalArgumentException("see search()");
            };
            HttpResponse<byte[]> response = request.apply(name);
            switch (c.expected()) {
                case WORKS -> works(c, name, response, description);
                case REFUSED -> {
                    assertThat(response.statusCode()).as(Responses.describe(response))
                            .isEqualTo(c.actor().signedIn() ? 403 : 401);
                    assertThat(json(response).get("message").isString()).as(Responses.describe(response)).isTrue();
                    secrets.assertNoneIn(response, "", c.endpoint().label);
                }
                case AS_MISSING -> {
                    assertThat(response.statusCode()).as(Responses.describe(response)).isEqualTo(404);
                    assertThat(Responses.body(response)).as("the missing repository's message")
                            .isEqualTo("{\"message\":\"repository not found: " + name + "\"}");
                    HttpResponse<byte[]> twin = request.apply(f.missing());
                    Responses.assertIndistinguishable(response, twin, Map.of(f.missing(), name));
                    secrets.assertNoneIn(response, "", c.endpoint().label);
                }
            }
            if (c.expected() != Outcome.WORKS) {
                unchanged(c, name, description);
            }
        }

        private void works(RestCase c, String name, HttpResponse<byte[]> response, String description) {
            MatrixFixture f = fixture();
            Published repo = f.repository(c.visibility());
            switch (c.endpoint()) {
                case GET_REPOSITORY -> {
                    JsonNode item = json(expect(response, 200));
                    assertThat(item.get("name").asString()).isEqualTo(name);
                    assertThat(item.get("namespace").asString()).isEqualTo(f.organisation());
                    assertThat(item.get("visibility").asString()).isEqualTo(c.visibility().wireName());
                    assertThat(item.get("role").asString()).isEqualTo(c.actor().roleOn(c.visibility()).wireName());
                }
                case GET_TAGS -> {
                    JsonNode tag = null;
                    for (JsonNode candidate : json(expect(response, 200)).get("results")) {
                        if (repo.tag().equals(candidate.get("name").asString())) {
                            tag = candidate;
                        }
                    }
                    assertThat(tag).as("tag %s in %s", repo.tag(), Responses.body(response)).isNotNull();
                    assertThat(tag.get("digest").asString()).isEqualTo(repo.manifest().toString());
                    assertThat(tag.get("size").asLong())
                            .isEqualTo(repo.manifestBytes().length + repo.configSize() + repo.layerBytes().length);
                }
                case PATCH_REPOSITORY -> {
                    assertThat(response.statusCode()).as(Responses.describe(response)).isIn(200, 204);
                    JsonNode item = json(expect(rest(Actor.ADMINISTRATOR, "GET", repositoryPath(name), null), 200));
                    assertThat(item.get("description").asString()).isEqualTo(description);
                }
                case DELETE_REPOSITORY -> {
                    expect(response, 204);
                    expect(rest(Actor.ADMINISTRATOR, "GET", repositoryPath(name), null), 404);
                    expect(f.admin().get("/v2/" + name + "/tags/list"), 404);
                }
                case STAR -> expect(response, 204);
                case SEARCH -> throw new IllegalArgumentException("see search()");
            }
        }

        /** A refused change changed nothing. */
        private void unchanged(RestCase c, String name, String description) {
            MatrixFixture f = fixture();
            if (c.endpoint() == RestEndpoint.PATCH_REPOSITORY) {
                JsonNode item = json(expect(rest(Actor.ADMINISTRATOR, "GET", repositoryPath(name), null), 200));
                assertThat(item.get("description").asString()).isNotEqualTo(description);
            } else if (c.endpoint() == RestEndpoint.DELETE_REPOSITORY) {
                expect(f.admin().get("/v2/" + name + "/tags/list"), 200);
            }
        }

        /**
         * Search lists the private repository only to those who read it; for the others it is as absent as the
         * missing one, and the count does not give it away either.
         */
        private void search(RestCase c) {
            MatrixFixture f = fixture();
            Published repo = f.repository(c.visibility());
            int size = 100;
            HttpResponse<byte[]> response = expect(rest(c.actor(), "GET",
                    "/api/v1/repositories?q=" + f.organisation() + "&size=" + size, null), 200);
            JsonNode page = json(response);
            List<String> names = new ArrayList<>();
            page.get("results").forEach(item -> names.add(item.get("name").asString()));
            assertThat(names).doesNotContain(f.missing()).contains(f.repository(Visibility.PUBLIC).name());
            if (c.expected() == Outcome.WORKS) {
                assertThat(names).contains(repo.name());
            } else {
                assertThat(names).doesNotContain(repo.name());
                Secrets.of(List.of(repo.name())).plus(repo.secrets()).assertNoneIn(response, "", c.endpoint().label);
                assertThat(names.size()).as("the results fit one page").isLessThan(size);
                assertThat(page.get("count").asLong()).as("count of %s", names).isEqualTo(names.size());
            }
        }

        private HttpResponse<byte[]> rest(Actor actor, String method, String path, String json) {
            RestClient client = fixture().restAs(actor);
            return client.send(method, path, json);
        }

        private static String repositoryPath(String name) {
            return "/api/v1/repositories/" + name;
        }
    }
}
