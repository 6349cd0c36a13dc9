package io.berth.common.error;

/**
 * What kind of failure a service met, in the domain's terms. Services throw a {@link BerthException} of a kind; each
 * role's exception handler turns the kind into its protocol's answer (the Distribution API's error JSON, the Engine
 * API's {@code {"message"}}, the REST API's message, a web page), with the status {@link ErrorStatus} gives.
 */
public enum ErrorKind {
    /** The request is malformed or names something impossible. */
    INVALID,
    /** The caller must authenticate first. */
    UNAUTHORIZED,
    /** The caller is known and may not do this. */
    DENIED,
    /** The thing asked for does not exist (or must look as if it did not). */
    NOT_FOUND,
    /** This operation is switched off or not offered here. */
    UNSUPPORTED,
    /** The request clashes with the current state (a name taken, an object in use). */
    CONFLICT,
    /** The request's content is larger than allowed. */
    TOO_LARGE,
    /** A range or offset that does not fit the content. */
    RANGE_NOT_SATISFIABLE,
    /** The caller must slow down. */
    TOO_MANY_REQUESTS,
    /** Storage has no room left for the write; reads still work. */
    INSUFFICIENT_STORAGE,
    /** A part this request needs is not available right now; trying again later may work. */
    UNAVAILABLE,
    /** Something failed that the caller could not have avoided. */
    FAILED;

    /** Whether the caller's request is at fault (no stack trace is worth keeping for it). */
    public boolean callerError() {
        return this != FAILED && this != UNAVAILABLE && this != INSUFFICIENT_STORAGE;
    }
}
