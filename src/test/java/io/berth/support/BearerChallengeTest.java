package io.berth.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The test client's challenge parser: if it misreads a challenge, every authenticated test fails for nothing. */
class BearerChallengeTest {

    @Test
    void readsRealmServiceScopesAndError() {
        BearerChallenge challenge = BearerChallenge.parse("Bearer realm=\"http://127.0.0.1:5000/token\","
                + "service=\"berth\",scope=\"repository:a/b:pull,push repository:c:pull\",error=\"insufficient_scope\"");

        assertThat(challenge.realm()).isEqualTo("http://127.0.0.1:5000/token");
        assertThat(challenge.service()).isEqualTo("berth");
        assertThat(challenge.scopes()).containsExactly("repository:a/b:pull,push", "repository:c:pull");
        assertThat(challenge.error()).isEqualTo("insufficient_scope");
    }

    @Test
    void unquotesBackslashEscapesAndKeepsCommasInsideQuotes() {
        BearerChallenge challenge = BearerChallenge.parse("Bearer realm=\"http://h/t?a=\\\"x\\\",b=\\\\\"");

        assertThat(challenge.realm()).isEqualTo("http://h/t?a=\"x\",b=\\");
        assertThat(challenge.service()).isNull();
        assertThat(challenge.scopes()).isEmpty();
    }

    @Test
    void acceptsTokenValuesAnyCaseAndOptionalWhitespace() {
        BearerChallenge challenge = BearerChallenge.parse("bearer  Realm = \"http://h/token\" ,, SERVICE=berth ,");

        assertThat(challenge.realm()).isEqualTo("http://h/token");
        assertThat(challenge.service()).isEqualTo("berth");
    }

    @Test
    void refusesWhatIsNotAWellFormedBearerChallenge() {
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Basic realm=\"x\""));
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Bearer service=\"berth\""));
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Bearer realm=\"unterminated"));
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Bearer realm=\"a\" service=\"b\""));
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Bearer realm=\"a\",realm=\"b\""));
        assertThatIllegalArgumentException().isThrownBy(() -> BearerChallenge.parse("Bearerrealm=\"a\""));
    }
}
