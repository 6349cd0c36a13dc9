package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The intersection of what a client asks and what its subject may do, and access entries as a token holds them. */
class GrantTest {

    // alice may pull and push her own repositories, pull library/*, and list the catalog; nothing else exists.
    private static final AccessPolicy ALICE = (type, name) -> switch (type) {
        case "repository" -> name.startsWith("alice/") ? Set.of("pull", "push") : name.startsWith("library/") ? Set.of("pull") : Set.of();
        case "registry" -> name.equals("catalog") ? Set.of("*") : Set.of();
        default -> null;
    };

    @Test
    void grantsWhatWasAskedWhenAllOfItIsAllowed() {
        assertThat(Grant.intersect(Scope.parseAll(List.of("repository:alice/app:push,pull")), ALICE))
                .containsExactly(new Access("repository", "alice/app", List.of("push", "pull")));
    }

    @Test
    void askingTooMuchGetsOnlyWhatIsAllowed() {
        List<Access> granted = Grant.intersect(Scope.parseAll(List.of("repository:library/busybox:pull,push,delete")), ALICE);
        assertThat(granted).containsExactly(new Access("repository", "library/busybox", List.of("pull")));
    }

    @Test
    void aResourceWithNothingAllowedKeepsAnEmptyEntry() {
        List<Access> granted = Grant.intersect(Scope.parseAll(List.of(
                "repository:bob/secret:pull,push", "plugin:whatever:pull", "registry:other:*")), ALICE);
        assertThat(granted).containsExactly(
                new Access("repository", "bob/secret", List.of()),
                new Access("plugin", "whatever", List.of()),
                new Access("registry", "other", List.of()));
        assertThat(new VerifiedToken("alice", granted, "id", null).permits("repository", "bob/secret", "pull")).isFalse();
    }

    @Test
    void aWildcardPolicyGrantsEachActionAskedAndAWildcardWhenAsked() {
        assertThat(Grant.intersect(List.of(Scope.parse("registry:catalog:*")), ALICE))
                .containsExactly(new Access("registry", "catalog", List.of("*")));
        AccessPolicy admin = (type, name) -> Set.of("*");
        assertThat(Grant.intersect(List.of(Scope.parse("repository:x:pull,delete")), admin))
                .containsExactly(new Access("repository", "x", List.of("pull", "delete")));
        assertThat(Grant.intersect(List.of(Scope.parse("repository:x:*")), admin))
                .containsExactly(new Access("repository", "x", List.of("*")));
    }

    @Test
    void aWildcardAskedGrantsEveryActionThePolicyAllowsByName() {
        assertThat(Grant.intersect(List.of(Scope.parse("repository:alice/app:*")), ALICE))
                .as("pull and push are all alice may do, and not everything")
                .containsExactly(new Access("repository", "alice/app", List.of("pull", "push")));
        assertThat(Grant.intersect(List.of(Scope.parse("repository:library/busybox:*")), ALICE))
                .containsExactly(new Access("repository", "library/busybox", List.of("pull")));
        assertThat(Grant.intersect(List.of(Scope.parse("repository:bob/secret:*")), ALICE))
                .containsExactly(new Access("repository", "bob/secret", List.of()));
        assertThat(Grant.intersect(Scope.parseAll(List.of("repository:alice/app:push,*")), ALICE))
                .as("asked twice, granted once").containsExactly(new Access("repository", "alice/app", List.of("push", "pull")));
    }

    @Test
    void mergesScopesOnOneResourceAndIgnoresTheClass() {
        List<Access> granted = Grant.intersect(Scope.parseAll(List.of(
                "repository:alice/app:pull", "repository:library/busybox:pull repository(plugin):alice/app:push,pull")), ALICE);
        assertThat(granted).containsExactly(
                new Access("repository", "alice/app", List.of("pull", "push")),
                new Access("repository", "library/busybox", List.of("pull")));
    }

    @Test
    void asksThePolicyOncePerResource() {
        List<String> asked = new ArrayList<>();
        Grant.intersect(Scope.parseAll(List.of("repository:a:pull", "repository:a:push", "repository:b:pull")), (type, name) -> {
            asked.add(type + ":" + name);
            return Set.of();
        });
        assertThat(asked).containsExactly("repository:a", "repository:b");
    }

    @Test
    void noScopesNoAccess() {
        assertThat(Grant.intersect(List.of(), ALICE)).isEmpty();
    }

    @Test
    void accessEntriesPermitTheirActionsOrAnyForAWildcard() {
        Access pull = new Access("repository", "a/b", List.of("pull", "pull"));
        assertThat(pull.actions()).containsExactly("pull");
        assertThat(pull.permits("repository", "a/b", "pull")).isTrue();
        assertThat(pull.permits("repository", "a/b", "push")).isFalse();
        assertThat(pull.permits("repository", "a/c", "pull")).isFalse();
        assertThat(pull.permits("registry", "a/b", "pull")).isFalse();
        Access any = new Access("registry", "catalog", List.of("*"));
        assertThat(any.permits("registry", "catalog", "*")).isTrue();
        assertThat(any.permits("registry", "catalog", "list")).isTrue();
    }

    @Test
    void readsEntriesBackFromTheClaimShape() {
        Access access = new Access("repository", "a/b", List.of("pull", "push"));
        assertThat(Access.fromClaim(access.toClaim())).isEqualTo(access);
        assertThat(Access.fromClaim(Map.of("type", "repository", "class", "plugin", "name", "a", "actions", List.of("pull"))))
                .isEqualTo(new Access("repository", "a", List.of("pull")));
        assertThat(Access.fromClaim(Map.of("type", "repository", "name", "a")))
                .isEqualTo(new Access("repository", "a", List.of()));
        for (Object bad : new Object[] {"x", Map.of("name", "a", "actions", List.of()),
                Map.of("type", "repository", "name", 1, "actions", List.of()),
                Map.of("type", "repository", "name", "a", "actions", "pull"),
                Map.of("type", "repository", "name", "a", "actions", List.of(1))}) {
            assertThatThrownBy(() -> Access.fromClaim(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
