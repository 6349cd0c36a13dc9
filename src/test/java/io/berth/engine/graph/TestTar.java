package io.berth.engine.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import com.github.luben.zstd.ZstdOutputStream;

import io.berth.common.Digest;

/**
 * Builds layer tars for tests with commons-compress (PAX for long names, names kept verbatim even when absolute or
 * with {@code ..}), plus raw PAX records for binary xattr values, which commons-compress can only write as UTF-8.
 */
final class TestTar {

    static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
    /** Owner of entries unless set: the user running the test, so that refusal tests also run unprivileged. */
    static final int UID = currentId("uid");
    static final int GID = currentId("gid");

    private final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TestTar() {
        tar = new TarArchiveOutputStream(body, 512);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    static TarArchiveEntry entry(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setUserId(UID);
        entry.setGroupId(GID);
        entry.setModTime(MTIME);
        return entry;
    }

    TestTar add(TarArchiveEntry entry, byte[] content) {
        try {
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestTar add(TarArchiveEntry entry) {
        return add(entry, new byte[0]);
    }

    TestTar dir(String name, int mode) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_DIR);
        entry.setMode(mode);
        return add(entry);
    }

    TestTar file(String name, String content, int mode) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setMode(mode);
        return add(entry, content.getBytes(StandardCharsets.UTF_8));
    }

    TestTar symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        entry.setMode(0777);
        return add(entry);
    }

    TestTar hardLink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK);
        entry.setLinkName(target);
        entry.setMode(0644);
        return add(entry);
    }

    /**
     * A regular file whose PAX header carries {@code SCHILY.xattr.<xattr>} with these exact bytes. It is written
     * before every entry added through commons-compress (the tar is the concatenation).
     */
    TestTar fileWithRawXattr(String name, byte[] content, int mode, int uid, String xattr, byte[] value) {
        byte[] key = (" SCHILY.xattr." + xattr + "=").getBytes(StandardCharsets.UTF_8);
        int length = key.length + value.length + 1;
        int withDigits = length + Integer.toString(length).length();
        if (Integer.toString(withDigits).length() != Integer.toString(length).length()) {
            withDigits++;
        }
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(Integer.toString(withDigits).getBytes(StandardCharsets.US_ASCII));
        record.writeBytes(key);
        record.writeBytes(value);
        record.write('\n');
        byte[] pax = record.toByteArray();
        writeRaw(header("PaxHeaders/" + name, 'x', pax.length, 0644, 0), pax);
        writeRaw(header(name, '0', content.length, mode, uid), content);
        return this;
    }

    byte[] tar() {
        try {
            tar.finish();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(prefix.toByteArray());
            all.writeBytes(body.toByteArray());
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(tar);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(out)) {
            zstd.write(tar);
        }
        return out.toByteArray();
    }

    static Digest diffId(byte[] tar) {
        return Digest.sha256(tar);
    }

    private void writeRaw(byte[] header, byte[] data) {
        prefix.writeBytes(header);
        prefix.writeBytes(data);
        prefix.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    /** A ustar header (name under 100 bytes). */
    private static byte[] header(String name, char type, long size, int mode, int uid) {
        byte[] header = new byte[512];
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, uid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MTIME.toInstant().getEpochSecond());
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = (byte) type;
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        return header;
    }

    private static void octal(byte[] header, int at, int width, long value) {
        String digits = String.format("%0" + (width - 1) + "o", value);
        put(header, at, width - 1, digits.getBytes(StandardCharsets.US_ASCII));
        header[at + width - 1] = 0;
    }

    private static void put(byte[] header, int at, int max, byte[] value) {
        System.arraycopy(value, 0, header, at, Math.min(max, value.length));
    }

    private static int currentId(String attribute) {
        try {
            // /proc/self followed: the process directory belongs to the effective uid and gid (the link itself to root)
            return (Integer) Files.getAttribute(Path.of("/proc/self/"), "unix:" + attribute);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
