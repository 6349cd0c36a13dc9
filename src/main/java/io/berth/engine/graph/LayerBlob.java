package io.berth.engine.graph;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import io.berth.common.Digest;
import io.berth.common.DigestAlgorithm;

/**
 * A layer made on this node, gzip-compressed in a file: what a manifest names ({@code digest}, {@code size}) and what
 * the image config lists ({@code diffId}, the digest of the uncompressed tar). Written in one pass, streamed: the tar is
 * digested as it is produced, compressed, and the compressed bytes digested on their way to the file.
 */
public record LayerBlob(Path file, Digest digest, long size, Digest diffId) {

    /** Writes the layer's entries. */
    @FunctionalInterface
    public interface Content {
        void write(LayerTarWriter tar) throws IOException;
    }

    /** gzip's default level, as docker push compresses. */
    public static final int DEFAULT_LEVEL = Deflater.DEFAULT_COMPRESSION;

    /**
     * Writes the layer {@code content} produces into {@code file} (created or truncated), gzip-compressed at
     * {@code level}, and fsyncs it.
     */
    public static LayerBlob write(Path file, int level, Content content) throws IOException {
        MessageDigest compressed = DigestAlgorithm.SHA256.newMessageDigest();
        MessageDigest uncompressed = DigestAlgorithm.SHA256.newMessageDigest();
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            // The channel stays open past the streams' close: it is synced after gzip has written its trailer.
            OutputStream fileOut = new BufferedOutputStream(new Unclosed(java.nio.channels.Channels.newOutputStream(channel)),
                    1 << 16);
            try (OutputStream gzip = new LevelledGzip(new DigestOutputStream(fileOut, compressed), level);
                 OutputStream tarBytes = new DigestOutputStream(new BufferedOutputStream(gzip, 1 << 16), uncompressed);
                 LayerTarWriter tar = new LayerTarWriter(new Unclosed(tarBytes))) {
                content.write(tar);
            }
            channel.force(true);
        }
        return new LayerBlob(file, Digest.fromBytes(DigestAlgorithm.SHA256, compressed.digest()), Files.size(file),
                Digest.fromBytes(DigestAlgorithm.SHA256, uncompressed.digest()));
    }

    /** GZIPOutputStream at a chosen compression level. */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }
    }

    /** A stream whose close only flushes: the owner of what is underneath closes that. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
