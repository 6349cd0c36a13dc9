package io.berth.hub.access.matrix;

/** What a request in the access matrix must come to. */
public enum Outcome {

    /** The normal success answer. */
    WORKS("works"),
    /**
     * Refused as it is refused to anyone who can see the repository but lacks the role: 403, or 401 for an anonymous
     * caller. Only the REST API has this: on the Distribution API every refusal comes from the token and reads like
     * a missing repository.
     */
    REFUSED("refused"),
    /** Indistinguishable from the same request about a repository that was never created. */
    AS_MISSING("as missing");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
