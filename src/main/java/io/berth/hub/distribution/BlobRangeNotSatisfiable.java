package io.berth.hub.distribution;

import java.util.Map;

import io.berth.common.error.ErrorKind;

/** A Range header none of whose ranges overlaps the blob; the answer tells the blob's size (RFC 9110, 15.5.17). */
class BlobRangeNotSatisfiable extends RegistryException {

    private final long size;

    BlobRangeNotSatisfiable(String message, long size) {
        super(RegistryError.SIZE_INVALID, ErrorKind.RANGE_NOT_SATISFIABLE, message, Map.of("size", size));
        this.size = size;
    }

    long size() {
        return size;
    }
}
