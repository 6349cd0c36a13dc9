package io.berth.engine.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class ShellLexerTest {

    private static final Map<String, String> VALUES = Map.of("FOO", "/bar", "EMPTY", "", "SPACED", "a  b",
            "PATH_VAR", "/usr/local/lib/libfoo.so.1", "abc", "hello");
    private static final Function<String, String> ENV = VALUES::get;
    private final ShellLexer lexer = new ShellLexer('\\');

    private String word(String text) {
        return lexer.processWord(text, ENV);
    }

    @Test
    void referenceExamples() {
        // The Dockerfile reference's environment replacement example.
        assertThat(word("${FOO}")).isEqualTo("/bar");
        assertThat(word("$FOO")).isEqualTo("/bar");
        assertThat(word("\\$FOO")).isEqualTo("$FOO");
        // ${variable:-word} and ${variable:+word}.
        assertThat(word("${UNSET:-word}")).isEqualTo("word");
        assertThat(word("${FOO:-word}")).isEqualTo("/bar");
        assertThat(word("${FOO:+word}")).isEqualTo("word");
        assertThat(word("${UNSET:+word}")).isEqualTo("");
        // Without the colon only unset counts, not empty.
        assertThat(word("${EMPTY:-word}")).isEqualTo("word");
        assertThat(word("${EMPTY-word}")).isEqualTo("");
        assertThat(word("${EMPTY:+word}")).isEqualTo("");
        assertThat(word("${EMPTY+word}")).isEqualTo("word");
        // The default may itself hold variables and quotes.
        assertThat(word("${UNSET:-$FOO/x}")).isEqualTo("/bar/x");
        assertThat(word("${UNSET:-\"a b\"}")).isEqualTo("a b");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(word("'$FOO'")).isEqualTo("$FOO");
        assertThat(word("\"$FOO and 'x'\"")).isEqualTo("/bar and 'x'");
        assertThat(word("\"a\\\"b\\$c\\\\d\\e\"")).isEqualTo("a\"b$c\\d\\e");
        assertThat(word("Rex\\ The\\ Dog")).isEqualTo("Rex The Dog");
        assertThat(word("abc$")).isEqualTo("abc$");
        assertThat(word("$1x")).isEqualTo("x");
        assertThat(word("a$-b")).isEqualTo("ab");
        assertThat(word("${abc}def")).isEqualTo("hellodef");
        assertThat(word("trailing\\")).isEqualTo("trailing");
        assertThat(new ShellLexer('`').processWord("a`$FOO\\b", ENV)).isEqualTo("a$FOO\\b");
    }

    @Test
    void wordsSplitAtUnquotedSpaceIncludingSpaceFromVariables() {
        assertThat(lexer.processWords("a \"b c\" $SPACED 'd  e'", ENV)).containsExactly("a", "b c", "a", "b", "d  e");
        assertThat(lexer.processWords("\"$SPACED\"", ENV)).containsExactly("a  b");
        assertThat(lexer.processWords("80/tcp   443", ENV)).containsExactly("80/tcp", "443");
    }

    @Test
    void patternsTrimPrefixesAndSuffixesAndReplace() {
        assertThat(word("${PATH_VAR#*/}")).isEqualTo("usr/local/lib/libfoo.so.1");
        assertThat(word("${PATH_VAR##*/}")).isEqualTo("libfoo.so.1");
        assertThat(word("${PATH_VAR%.*}")).isEqualTo("/usr/local/lib/libfoo.so");
        assertThat(word("${PATH_VAR%%.*}")).isEqualTo("/usr/local/lib/libfoo");
        assertThat(word("${PATH_VAR/lib/LIB}")).isEqualTo("/usr/local/LIB/libfoo.so.1");
        assertThat(word("${PATH_VAR//lib/LIB}")).isEqualTo("/usr/local/LIB/LIBfoo.so.1");
        assertThat(word("${abc/l?/$}")).isEqualTo("he$o");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> word("${FOO")).hasMessage("failed to process \"${FOO\": syntax error: missing '}'");
        assertThatThrownBy(() -> word("${}")).hasMessageEndingWith("syntax error: bad substitution");
        assertThatThrownBy(() -> word("${:x}")).hasMessageEndingWith("syntax error: bad substitution");
        assertThatThrownBy(() -> word("${FOO:x}")).hasMessageEndingWith("unsupported modifier (:x) in substitution");
        assertThatThrownBy(() -> word("${FOO:#x}"))
                .hasMessageEndingWith("unsupported modifier (:#) in substitution");
        assertThatThrownBy(() -> word("'open")).hasMessageEndingWith(
                "unexpected end of statement while looking for matching single-quote");
        assertThatThrownBy(() -> word("\"open")).hasMessageEndingWith(
                "unexpected end of statement while looking for matching double-quote");
        assertThatThrownBy(() -> word("${UNSET?must be set}")).hasMessageEndingWith("UNSET: must be set");
        assertThatThrownBy(() -> word("${EMPTY:?}")).hasMessageEndingWith("EMPTY: is not allowed to be empty");
        assertThat(word("${EMPTY?}")).isEmpty();
    }
}
