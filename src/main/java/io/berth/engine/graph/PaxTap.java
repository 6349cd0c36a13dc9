package io.berth.engine.graph;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Sits under {@link TarArchiveInputStream} and keeps the raw bytes of the PAX headers in front of each entry.
 *
 * <p>Why: commons-compress decodes every PAX value as UTF-8, which mangles binary xattr values such as
 * {@code security.capability} (a capability set with bit 7 is byte 0x80). The tap records what the tar reader
 * consumes while it looks for the next entry, then walks those 512-byte records itself and returns the
 * {@code SCHILY.xattr.*} values byte for byte. When the recorded bytes do not line up with what the tar reader
 * reported (or are unexpectedly large) it returns null, and the caller falls back to the decoded strings.
 */
final class PaxTap extends FilterInputStream {

    static final String XATTR_PREFIX = "SCHILY.xattr.";
    private static final int RECORD = 512;
    private static final int MAX_RECORDED = 16 << 20;

    private long offset;
    private ByteArrayOutputStream recorded;
    private boolean overflow;
    private long nextHeader;
    private Map<String, byte[]> xattrs;

    PaxTap(InputStream in) {
        super(in);
    }

    /**
     * Reads the next entry; its data must have been read to the end before the call (so that only record padding,
     * headers and PAX data lie between here and the entry's header). {@link #xattrs} then holds the raw xattr
     * values of its PAX header.
     */
    TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
        xattrs = null;
        long start = offset;
        recorded = new ByteArrayOutputStream();
        overflow = false;
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } finally {
            byte[] bytes = recorded.toByteArray();
            recorded = null;
            xattrs = overflow ? null : parse(bytes, start);
        }
        if (entry != null) {
            nextHeader = offset + (entry.getSize() + RECORD - 1) / RECORD * RECORD;
        }
        return entry;
    }

    /**
     * The raw {@code SCHILY.xattr.*} values (name without the prefix) of the entry last returned by {@link #next}, or
     * null when they could not be read byte for byte.
     */
    Map<String, byte[]> xattrs() {
        return xattrs;
    }

    /** The xattrs in the records between {@link #nextHeader} and the entry's own header (the last record read). */
    private Map<String, byte[]> parse(byte[] bytes, long start) {
        long header = nextHeader;
        long entryHeader = offset - RECORD;
        Map<String, byte[]> found = new HashMap<>();
        while (header < entryHeader) {
            int at = (int) (header - start);
            if (at < 0 || at + RECORD > bytes.length) {
                return null;
            }
            byte type = bytes[at + 156];
            long size = size(bytes, at + 124);
            int data = at + RECORD;
            if (size < 0 || data + size > bytes.length) {
                return null;
            }
            if (type == 'x') {
                records(bytes, data, (int) size, found);
            }
            header += RECORD + (size + RECORD - 1) / RECORD * RECORD;
        }
        if (header != entryHeader) {
            return null; // out of step with the tar reader: let the caller use its decoded values
        }
        return found;
    }

    /** PAX records: "%d %s=%s\n", the length counting the whole record. */
    private static void records(byte[] bytes, int from, int size, Map<String, byte[]> found) {
        int at = from;
        int end = from + size;
        while (at < end) {
            int space = at;
            while (space < end && bytes[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(bytes, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            int recordEnd = at + length;
            if (length <= 0 || recordEnd > end) {
                return;
            }
            int equals = space + 1;
            while (equals < recordEnd && bytes[equals] != '=') {
                equals++;
            }
            if (equals < recordEnd) {
                String key = new String(bytes, space + 1, equals - space - 1, StandardCharsets.UTF_8);
                if (key.startsWith(XATTR_PREFIX)) {
                    byte[] value = java.util.Arrays.copyOfRange(bytes, equals + 1, recordEnd - 1);
                    found.put(key.substring(XATTR_PREFIX.length()), value);
                }
            }
            at = recordEnd;
        }
    }

    /** The header's size field: octal, or base-256 when the high bit of the first byte is set. */
    private static long size(byte[] bytes, int at) {
        if ((bytes[at] & 0x80) != 0) {
            long value = 0;
            for (int i = 1; i < 12; i++) {
                value = (value << 8) | (bytes[at + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        for (int i = 0; i < 12; i++) {
            byte b = bytes[at + i];
            if (b == 0 || b == ' ') {
                if (value > 0) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                return -1;
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            offset++;
            record(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = in.read(buffer, off, len);
        if (n > 0) {
            offset += n;
            record(buffer, off, n);
        }
        return n;
    }

    /** Skips by reading, so that the offset and the recording stay exact. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void record(byte[] buffer, int off, int len) {
        if (recorded != null && !overflow) {
            if (recorded.size() + len > MAX_RECORDED) {
                overflow = true;
            } else {
                recorded.write(buffer, off, len);
            }
        }
    }
}
