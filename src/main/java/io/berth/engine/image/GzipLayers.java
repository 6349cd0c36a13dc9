package io.berth.engine.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.graph.LayerUnpacker;
import io.berth.engine.graph.TarBlocks;

/** Layers that arrive as tar archives ({@code docker import}, {@code docker load}) made into the store's gzip form. */
final class GzipLayers {

    private GzipLayers() {
    }

    /**
     * Streams {@code archive} (a tar: plain, gzip, zstd, bzip2 or xz), decompressed, into {@code file} as gzip,
     * digesting both forms on the way. The first block must be a tar header (or the end-of-archive zeros): anything
     * else is refused before more is read.
     *
     * @param what how the caller's messages name the archive ("the body", "layer 2 of busybox:latest")
     */
    static LayerBlob compress(InputStream archive, Path file, String what) throws IOException {
        MessageDigest blobHash = DigestAlgorithm.SHA256.newMessageDigest();
        DigestInputStream tar;
        try {
            tar = new DigestInputStream(LayerUnpacker.decompressed(archive), DigestAlgorithm.SHA256.newMessageDigest());
            byte[] first = tar.readNBytes(TarBlocks.BLOCK);
            if (first.length > 0 && !TarBlocks.isHeader(first)) {
                throw new BerthException(ErrorKind.INVALID, "invalid archive: " + what + " is not a tar archive (plain"
                        + " or compressed): its first " + TarBlocks.BLOCK + " bytes are no tar header");
            }
            try (OutputStream gzip = new GZIPOutputStream(new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), blobHash), 1 << 16)) {
                gzip.write(first);
                tar.transferTo(gzip);
            }
        } catch (ZipException | com.github.luben.zstd.ZstdIOException e) {
            throw new BerthException(ErrorKind.INVALID, "invalid archive: cannot decompress " + what + ": "
                    + e.getMessage());
        }
        return new LayerBlob(file, Digest.fromBytes(DigestAlgorithm.SHA256, blobHash.digest()), Files.size(file),
                Digest.fromBytes(DigestAlgorithm.SHA256, tar.getMessageDigest().digest()));
    }
}
