package io.berth.hub.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Storage failed inside a transaction, where checked exceptions cannot pass. */
class StorageException extends UncheckedIOException {

    StorageException(IOException cause) {
        super(cause);
    }
}
