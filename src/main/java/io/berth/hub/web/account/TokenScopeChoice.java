package io.berth.hub.web.account;

import java.util.List;

import io.berth.hub.HubException;

/**
 * The scopes the token page offers, each a set of the REST API's scope names: pulling only, pushing too, or deleting
 * as well. A page chooses one from a list where the API takes any combination; these three are the ones that make
 * sense for a script (deleting without pushing is for the API).
 */
enum TokenScopeChoice {

    READ("read", "Read: pull", List.of("read")),
    READ_WRITE("read-write", "Read and write: pull and push", List.of("read", "write")),
    READ_WRITE_DELETE("read-write-delete", "Read, write and delete: pull, push and delete",
            List.of("read", "write", "delete"));

    private final String value;
    private final String label;
    private final List<String> scopes;

    TokenScopeChoice(String value, String label, List<String> scopes) {
        this.value = value;
        this.label = label;
        this.scopes = scopes;
    }

    /** The value the form sends. */
    public String value() {
        return value;
    }

    /** What the option says. */
    public String label() {
        return label;
    }

    /** The REST API's names of the scopes. */
    List<String> scopes() {
        return scopes;
    }

    static TokenScopeChoice of(String value) {
        for (TokenScopeChoice choice : values()) {
            if (choice.value.equals(value)) {
                return choice;
            }
        }
        throw HubException.invalid("a token's scope is read, read-write or read-write-delete, not " + value);
    }
}
