package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.docker.LogConfig;
import io.berth.engine.docker.PortBinding;
import io.berth.engine.docker.Resources;
import io.berth.engine.docker.RestartPolicy;
import io.berth.support.SpringJson;

class ContainerStoreTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    private static final String A = "a".repeat(63) + "1";
    private static final String B = "a".repeat(62) + "21";

    @TempDir
    Path dir;

    @Test
    void resolvesFullIdNameAndUniquePrefixAsDockerd() throws Exception {
        ContainerStore store = new ContainerStore(dir, JSON);
        save(store, A, "web");
        save(store, B, "db");

        assertThat(store.resolve(A).name()).isEqualTo("/web");
        assertThat(store.resolve("web").id()).isEqualTo(A);
        assertThat(store.resolve("/db").id()).isEqualTo(B);
        assertThat(store.resolve("a".repeat(63)).id()).isEqualTo(A);
        assertThat(store.resolve("a".repeat(62) + "2").id()).isEqualTo(B);
        assertThatThrownBy(() -> store.resolve("aaaa")).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
            assertThat(e.getMessage()).isEqualTo("Multiple IDs found with provided prefix: aaaa");
        });
        assertThatThrownBy(() -> store.resolve("nope")).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No such container: nope");
        });
    }

    @Test
    void aNameBeatsAnIdPrefix() throws Exception {
        ContainerStore store = new ContainerStore(dir, JSON);
        save(store, A, "web");
        save(store, B, "aaa");
        assertThat(store.resolve("aaa").id()).isEqualTo(B);
    }

    @Test
    void nameConflictsAreRefusedInDockerdsWords() throws Exception {
        ContainerStore store = new ContainerStore(dir, JSON);
        save(store, A, "web");
        assertThatThrownBy(() -> store.reserveName("/web", B)).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.getMessage()).isEqualTo("Conflict. The container name \"/web\" is already in use by "
                    + "container \"" + A + "\". You have to remove (or rename) that container to be able to reuse "
                    + "that name.");
        });
        assertThatThrownBy(() -> store.reserveName("-bad", B)).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> store.reserveName("x", B)).isInstanceOf(BerthException.class);
    }

    @Test
    void recordsSurviveARestartAndRemovalFreesTheName() throws Exception {
        ContainerStore store = new ContainerStore(dir, JSON);
        save(store, A, "web");
        store.update(A, c -> c.withState(c.state().running(42, Instant.parse("2026-11-28T10:00:00Z"))));

        ContainerStore reopened = new ContainerStore(dir, JSON);
        ContainerRecord loaded = reopened.resolve("web");
        assertThat(loaded.state().status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(loaded.state().pid()).isEqualTo(42);
        assertThat(loaded.config().cmd()).containsExactly("echo", "hi");
        assertThat(Files.list(dir.resolve(A)).map(p -> p.getFileName().toString()).toList())
                .containsExactly(ContainerStore.RECORD_FILE);

        reopened.remove(A);
        assertThat(reopened.find("web")).isEmpty();
        assertThat(reopened.reserveName("web", B)).isEqualTo("/web");
        assertThat(new ContainerStore(dir, JSON).all()).isEmpty();
    }

    @Test
    void generatedNamesAreAdjectiveAndSurname() {
        NameGenerator names = new NameGenerator(new java.util.Random(1));
        String name = names.generate(candidate -> false);
        assertThat(name).matches("[a-z]+_[a-z]+");
        List<String> seen = new java.util.ArrayList<>();
        String free = names.generate(candidate -> {
            seen.add(candidate);
            return seen.size() < 15;
        });
        assertThat(free).matches("[a-z]+_[a-z]+[0-9]");
    }

    /**
     * Containers outlive an Engine upgrade: records written before Config and HostConfig were typed (taken from a
     * node of that time: one created with most of what docker create takes, one that ran and exited) load with every
     * setting, and are written back in the same shape.
     */
    @Test
    void recordsOfEarlierEnginesLoad() throws Exception {
        String created = "206e62a44a61a599980e561f1330392e1520498610b65b31049d64726b3a9515";
        String exited = "28f9a9b27dce615dd653714b07c91f0b05ba61e169782221fcad2b45a3329a0f";
        copyRecord("created-record-of-2026-12.json", created);
        copyRecord("exited-record-of-2026-12.json", exited);

        ContainerStore store = new ContainerStore(dir, JSON);
        ContainerRecord full = store.resolve("full");
        assertThat(full.id()).isEqualTo(created);
        assertThat(full.state().status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(full.state().startedAt()).isNull();
        assertThat(full.config().env()).containsExactly("A=1", "PATH=/bin");
        assertThat(full.config().cmd()).containsExactly("sleep", "1000");
        assertThat(full.config().labels()).containsEntry("team", "berth").containsEntry("from.image", "yes");
        assertThat(full.config().healthcheck().test()).containsExactly("CMD-SHELL", "true");
        assertThat(full.config().healthcheck().interval()).isEqualTo(5_000_000_000L);
        assertThat(full.config().exposedPorts()).containsOnlyKeys("80/tcp");
        assertThat(full.config().stopSignal()).isEqualTo("SIGINT");
        assertThat(full.config().stopTimeout()).isEqualTo(3);
        assertThat(full.config().user()).isEqualTo("0:0");
        assertThat(full.config().workingDir()).isEqualTo("/tmp");
        HostConfig hostConfig = full.hostConfig();
        assertThat(hostConfig.binds()).containsExactly("keep:/data");
        assertThat(hostConfig.restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThat(hostConfig.resources().memory()).isEqualTo(64L << 20);
        assertThat(hostConfig.resources().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(hostConfig.resources().pidsLimit()).isEqualTo(50L);
        assertThat(hostConfig.resources().ulimits()).containsExactly(new Resources.Ulimit("nofile", 1024, 2048));
        assertThat(hostConfig.capAdd()).containsExactly("CAP_NET_ADMIN");
        assertThat(hostConfig.tmpfs()).containsEntry("/run", "size=1m");
        assertThat(hostConfig.sysctls()).containsEntry("net.ipv4.ip_forward", "1");
        assertThat(hostConfig.portBindings().get("80/tcp")).containsExactly(new PortBinding("127.0.0.1", "8080"));
        assertThat(hostConfig.mounts()).singleElement().satisfies(mount -> {
            assertThat(mount.type()).isEqualTo("tmpfs");
            assertThat(mount.target()).isEqualTo("/cache");
            assertThat(mount.tmpfsOptions().sizeBytes()).isEqualTo(1_048_576L);
        });
        // what dockerd fills in at create, which records of then did not hold
        assertThat(hostConfig.logConfig()).isEqualTo(LogConfig.JSON_FILE);
        assertThat(hostConfig.runtime()).isEqualTo(HostConfig.RUNTIME);
        assertThat(full.anonymousVolumes()).containsOnlyKeys("/anon");

        ContainerRecord ran = store.resolve("ran");
        assertThat(ran.state().status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(ran.state().exitCode()).isEqualTo(3);
        assertThat(ran.state().finishedAt()).isAfter(ran.state().startedAt());
        assertThat(ran.path()).isEqualTo("sh");
        assertThat(ran.args()).containsExactly("-c", "echo hi; exit 3");

        // written back and read again, nothing changes
        store.update(exited, c -> c.withRestarts(1, true));
        ContainerRecord again = new ContainerStore(dir, JSON).resolve("ran");
        assertThat(again).isEqualTo(ran.withRestarts(1, true));
    }

    private void copyRecord(String resource, String id) throws Exception {
        try (var in = ContainerStoreTest.class.getResourceAsStream(resource)) {
            Files.createDirectories(dir.resolve(id));
            Files.copy(in, dir.resolve(id).resolve(ContainerStore.RECORD_FILE));
        }
    }

    static void save(ContainerStore store, String id, String name) {
        ContainerConfig config = JSON.readValue("{\"Cmd\":[\"echo\",\"hi\"]}", ContainerConfig.class);
        String slashed = store.reserveName(name, id);
        store.save(new ContainerRecord(id, slashed, Instant.now(), "sha256:" + "b".repeat(64), "busybox", null,
                "echo", List.of("hi"), config, HostConfig.empty(), null, ContainerState.created(), 0, false, null));
    }
}
