package io.berth.hub.distribution;

import org.springframework.http.HttpStatus;

/** The error codes of the OCI Distribution Spec, with the status and message the registry answers them with. */
public enum RegistryError {
    BLOB_UNKNOWN(HttpStatus.NOT_FOUND, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(HttpStatus.BAD_REQUEST, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(HttpStatus.NOT_FOUND, "blob upload unknown to registry"),
    DIGEST_INVALID(HttpStatus.BAD_REQUEST, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(HttpStatus.BAD_REQUEST, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(HttpStatus.BAD_REQUEST, "manifest invalid"),
    MANIFEST_UNKNOWN(HttpStatus.NOT_FOUND, "manifest unknown to registry"),
    NAME_INVALID(HttpStatus.BAD_REQUEST, "invalid repository name"),
    NAME_UNKNOWN(HttpStatus.NOT_FOUND, "repository name not known to registry"),
    PAGINATION_NUMBER_INVALID(HttpStatus.BAD_REQUEST, "invalid number of results requested"),
    SIZE_INVALID(HttpStatus.BAD_REQUEST, "provided length did not match content length"),
    TAG_INVALID(HttpStatus.BAD_REQUEST, "manifest tag did not match URI"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "authentication required"),
    DENIED(HttpStatus.FORBIDDEN, "requested access to the resource is denied"),
    UNSUPPORTED(HttpStatus.METHOD_NOT_ALLOWED, "the operation is unsupported"),
    TOOMANYREQUESTS(HttpStatus.TOO_MANY_REQUESTS, "too many requests"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "no such endpoint in the registry API"),
    UNKNOWN(HttpStatus.INTERNAL_SERVER_ERROR, "unknown error");

    private final HttpStatus status;
    private final String message;

    RegistryError(HttpStatus status, String message) {
        this.status = status;
        this.message = message;
    }

    public HttpStatus status() {
        return status;
    }

    public String message() {
        return message;
    }
}
