package io.berth.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

import io.berth.common.Digest;

/** A stored blob, ready to be read. */
public interface BlobContent {

    Digest digest();

    long size();

    /** The file holding the bytes, when the store keeps them on a local file system (enables zero-copy reads). */
    Optional<Path> localFile();

    /** Opens the bytes from {@code offset}; the caller closes the stream. */
    InputStream open(long offset) throws IOException;
}
