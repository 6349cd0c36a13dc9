package io.berth.engine.build.context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Build contexts as the docker CLI sends them: a tar, owners 0:0, names kept verbatim (for the attack cases too). */
final class ContextTar {

    static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    ContextTar() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    ContextTar file(String name, String content) {
        return file(name, content, 0644);
    }

    ContextTar file(String name, String content, int mode) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setMode(0100000 | mode);
        entry.setSize(data.length);
        entry.setModTime(MTIME);
        return add(entry, data);
    }

    ContextTar dir(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        entry.setMode(040755);
        entry.setModTime(MTIME);
        return add(entry, new byte[0]);
    }

    ContextTar symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        entry.setMode(0120777);
        entry.setModTime(MTIME);
        return add(entry, new byte[0]);
    }

    private ContextTar add(TarArchiveEntry entry, byte[] data) {
        try {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] tar() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] gzip() {
        return compress("gzip");
    }

    byte[] bzip2() {
        return compress("bzip2");
    }

    byte[] xz() {
        return compress("xz");
    }

    private byte[] compress(String format) {
        byte[] plain = tar();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressed = switch (format) {
            case "gzip" -> new GZIPOutputStream(out);
            case "bzip2" -> new BZip2CompressorOutputStream(out);
            default -> new XZCompressorOutputStream(out);
        }) {
            compressed.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
