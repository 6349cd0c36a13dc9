package io.berth.hub.distribution;

import io.berth.common.error.ErrorKind;

/**
 * The error codes of the OCI Distribution Spec, each with the kind of failure it is (which gives its status) and the
 * message the registry answers it with.
 */
public enum RegistryError {
    BLOB_UNKNOWN(ErrorKind.NOT_FOUND, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(ErrorKind.INVALID, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(ErrorKind.NOT_FOUND, "blob upload unknown to registry"),
    DIGEST_INVALID(ErrorKind.INVALID, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(ErrorKind.INVALID, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(ErrorKind.INVALID, "manifest invalid"),
    MANIFEST_UNKNOWN(ErrorKind.NOT_FOUND, "manifest unknown to registry"),
    NAME_INVALID(ErrorKind.INVALID, "invalid repository name"),
    NAME_UNKNOWN(ErrorKind.NOT_FOUND, "repository name not known to registry"),
    PAGINATION_NUMBER_INVALID(ErrorKind.INVALID, "invalid number of results requested"),
    SIZE_INVALID(ErrorKind.INVALID, "provided length did not match content length"),
    TAG_INVALID(ErrorKind.INVALID, "manifest tag did not match URI"),
    UNAUTHORIZED(ErrorKind.UNAUTHORIZED, "authentication required"),
    DENIED(ErrorKind.DENIED, "requested access to the resource is denied"),
    UNSUPPORTED(ErrorKind.UNSUPPORTED, "the operation is unsupported"),
    TOOMANYREQUESTS(ErrorKind.TOO_MANY_REQUESTS, "too many requests"),
    NOT_FOUND(ErrorKind.NOT_FOUND, "no such endpoint in the registry API"),
    UNKNOWN(ErrorKind.FAILED, "unknown error");

    private final ErrorKind kind;
    private final String message;

    RegistryError(ErrorKind kind, String message) {
        this.kind = kind;
        this.message = message;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String message() {
        return message;
    }
}
