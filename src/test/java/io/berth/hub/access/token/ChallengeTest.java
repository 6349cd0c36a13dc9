package io.berth.hub.access.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** WWW-Authenticate values, exactly as clients parse them. */
class ChallengeTest {

    private final Challenge challenge = new Challenge("https://hub.example.com/token", "hub.example.com");

    @Test
    void asksForATokenForTheScopes() {
        assertThat(challenge.bearer(List.of(Scope.repository("samalba/my-app", "pull", "push"))))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\","
                        + "scope=\"repository:samalba/my-app:pull,push\"");
    }

    @Test
    void severalScopesShareOneParameterSeparatedBySpaces() {
        assertThat(challenge.bearer(List.of(Scope.repository("a/b", "pull", "push"), Scope.repository("c", "pull"))))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\","
                        + "scope=\"repository:a/b:pull,push repository:c:pull\"");
    }

    @Test
    void leavesTheScopeOutWhenThereIsNone() {
        assertThat(challenge.bearer(List.of()))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\"");
    }

    @Test
    void saysWhatIsWrongWithATokenThatWasSent() {
        assertThat(challenge.insufficientScope(List.of(Scope.repository("samalba/my-app", "pull", "push"))))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\","
                        + "scope=\"repository:samalba/my-app:pull,push\",error=\"insufficient_scope\"");
        assertThat(challenge.invalidToken(List.of(Scope.parse("registry:catalog:*"))))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\","
                        + "scope=\"registry:catalog:*\",error=\"invalid_token\"");
        assertThat(challenge.invalidToken(List.of()))
                .isEqualTo("Bearer realm=\"https://hub.example.com/token\",service=\"hub.example.com\",error=\"invalid_token\"");
    }

    @Test
    void escapesQuotesAndBackslashes() {
        Challenge odd = new Challenge("https://h/token?x=\"y\"", "a\\b \"c\"");
        assertThat(odd.bearer(List.of()))
                .isEqualTo("Bearer realm=\"https://h/token?x=\\\"y\\\"\",service=\"a\\\\b \\\"c\\\"\"");
    }

    @Test
    void refusesWhatCannotBeInAHeader() {
        assertThatThrownBy(() -> new Challenge("https://h/token\r\nSet-Cookie: x", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Challenge("https://h/token", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Challenge(null, "s")).isInstanceOf(IllegalArgumentException.class);
    }
}
