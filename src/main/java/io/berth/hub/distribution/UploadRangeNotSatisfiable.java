package io.berth.hub.distribution;

import io.berth.common.error.ErrorKind;

/**
 * A chunk that does not continue an upload where it stands. The answer tells the client where the upload is, so that
 * it can resume from there.
 */
class UploadRangeNotSatisfiable extends RegistryException {

    private final RepositoryName repository;
    private final UploadStatus upload;

    UploadRangeNotSatisfiable(String message, RepositoryName repository, UploadStatus upload) {
        super(RegistryError.BLOB_UPLOAD_INVALID, ErrorKind.RANGE_NOT_SATISFIABLE, message, null);
        this.repository = repository;
        this.upload = upload;
    }

    RepositoryName repository() {
        return repository;
    }

    UploadStatus upload() {
        return upload;
    }
}
