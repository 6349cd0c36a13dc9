package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Scopes as clients write them: the spec's resource scope grammar, parsed and printed back. */
class ScopeTest {

    @Test
    void parsesARepositoryScope() {
        assertRoundTrip("repository:library/busybox:pull,push", "repository", null, "library/busybox", "pull", "push");
        assertThat(Scope.parse("repository:library/busybox:pull,push")).isEqualTo(Scope.repository("library/busybox", "pull", "push"));
    }

    @Test
    void aNameMayHoldTheColonOfARegistryPort() {
        assertRoundTrip("repository:localhost:5000/foo:pull", "repository", null, "localhost:5000/foo", "pull");
        assertRoundTrip("repository:Registry-1.example.com:443/team/app.v2:push,pull",
                "repository", null, "Registry-1.example.com:443/team/app.v2", "push", "pull");
        // The grammar lets a first component be a host name, which may be upper case.
        assertRoundTrip("repository:Library/busybox:pull", "repository", null, "Library/busybox", "pull");
    }

    @Test
    void keepsAResourceClassToPrintItBack() {
        assertRoundTrip("repository(plugin):vieux/sshfs:pull", "repository", "plugin", "vieux/sshfs", "pull");
    }

    @Test
    void parsesTheCatalogScope() {
        assertRoundTrip("registry:catalog:*", "registry", null, "catalog", "*");
    }

    @Test
    void actionsAreAnOrderedSet() {
        Scope scope = Scope.parse("repository:a/b:push,pull,push,delete");
        assertThat(scope.actions()).containsExactly("push", "pull", "delete");
        assertThat(scope).hasToString("repository:a/b:push,pull,delete");
        assertThatThrownBy(() -> scope.actions().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parsesSeveralParametersAndSeveralScopesInOne() {
        List<Scope> scopes = Scope.parseAll(List.of(
                "repository:a/b:pull",
                "repository:c:pull,push repository:localhost:5000/d:pull",
                "",
                "  registry:catalog:*  "));
        assertThat(scopes).extracting(Scope::toString).containsExactly(
                "repository:a/b:pull",
                "repository:c:pull,push",
                "repository:localhost:5000/d:pull",
                "registry:catalog:*");
        assertThat(Scope.parseAll(List.of())).isEmpty();
        assertThat(Scope.parseAll(null)).isEmpty();
        assertThat(Scope.parseAll(Arrays.asList("", null, " "))).as("a token for no scope at all").isEmpty();
    }

    @Test
    void refusesMalformedScopes() {
        for (String bad : new String[] {
                "", "repository", "repository:foo", "repository::pull", ":foo:pull", "repository:foo:",
                "repository:foo:pull,", "repository:foo:,pull", "repository:foo:PULL", "repository:foo:pu ll",
                "Repository:foo:pull", "repo-sitory:foo:pull", "repository(:foo:pull", "repository():foo:pull",
                "repository(Plugin):foo:pull", "repository(a)(b):foo:pull",
                "repository:library/Busybox:pull", "repository:foo//bar:pull", "repository:/foo:pull",
                "repository:foo/:pull", "repository:-foo:pull", "repository:foo_:pull", "repository:foo___bar:pull",
                "repository:localhost:5000:pull", "repository:localhost:port/foo:pull",
                "repository:a:1:2/foo:pull", "repository:host:5000/Foo:pull", "repository:ho_st:5000/foo:pull",
                "repository:foo\"bar:pull", "repository:" + "a".repeat(256) + ":pull",
                "repository:" + "a/".repeat(300) + "a:pull"}) {
            assertThatThrownBy(() -> Scope.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed scope");
        }
        assertThatThrownBy(() -> Scope.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.parseAll(List.of("repository:a:pull repository:b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConstructorHoldsToTheGrammarToo() {
        assertThatThrownBy(() -> Scope.repository("library/busybox")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.repository("UPPER", "pull")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.repository("a", "pull,push")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRoundTrip(String wire, String type, String resourceClass, String name, String... actions) {
        Scope scope = Scope.parse(wire);
        assertThat(scope.type()).as(wire).isEqualTo(type);
        assertThat(scope.resourceClass()).as(wire).isEqualTo(resourceClass);
        assertThat(scope.name()).as(wire).isEqualTo(name);
        assertThat(scope.actions()).as(wire).containsExactly(actions);
        assertThat(scope).as(wire).hasToString(wire);
    }
}
