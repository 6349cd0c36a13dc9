package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.node.ObjectNode;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

class ContainerStoreTest {

    private static final String A = "a".repeat(63) + "1";
    private static final String B = "a".repeat(62) + "21";

    @TempDir
    Path dir;

    @Test
    void resolvesFullIdNameAndUniquePrefixAsDockerd() throws Exception {
        ContainerStore store = new ContainerStore(dir);
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
        ContainerStore store = new ContainerStore(dir);
        save(store, A, "web");
        save(store, B, "aaa");
        assertThat(store.resolve("aaa").id()).isEqualTo(B);
    }

    @Test
    void nameConflictsAreRefusedInDockerdsWords() throws Exception {
        ContainerStore store = new ContainerStore(dir);
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
        ContainerStore store = new ContainerStore(dir);
        save(store, A, "web");
        store.update(A, c -> c.withState(c.state().running(42, Instant.parse("2026-11-28T10:00:00Z"))));

        ContainerStore reopened = new ContainerStore(dir);
        ContainerRecord loaded = reopened.resolve("web");
        assertThat(loaded.state().status()).isEqualTo("running");
        assertThat(loaded.state().pid()).isEqualTo(42);
        assertThat(loaded.config().get("Cmd").get(0).asString()).isEqualTo("echo");
        assertThat(Files.list(dir.resolve(A)).map(p -> p.getFileName().toString()).toList())
                .containsExactly(ContainerStore.RECORD_FILE);

        reopened.remove(A);
        assertThat(reopened.find("web")).isEmpty();
        assertThat(reopened.reserveName("web", B)).isEqualTo("/web");
        assertThat(new ContainerStore(dir).all()).isEmpty();
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

    static void save(ContainerStore store, String id, String name) {
        ObjectNode config = JsonMaps.JSON.createObjectNode();
        config.putArray("Cmd").add("echo").add("hi");
        String slashed = store.reserveName(name, id);
        store.save(new ContainerRecord(id, slashed, Instant.now(), "sha256:" + "b".repeat(64), "busybox", null,
                "echo", List.of("hi"), config, JsonMaps.JSON.createObjectNode(), ContainerState.created(), 0, false, null));
    }
}
