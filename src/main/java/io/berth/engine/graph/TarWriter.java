package io.berth.engine.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tar entries as Go's archive/tar does for layers: a USTAR header, preceded by a PAX extended header when a
 * value does not fit it (long or non-ASCII names, large ids or sizes, extended attributes). Written here rather than
 * with commons-compress because an xattr value is bytes ({@code security.capability} is binary), and a PAX record
 * must carry them unchanged; commons-compress only writes PAX values as UTF-8 text. No record padding after the end
 * marker: an empty layer is exactly two zero blocks, as Docker's.
 */
final class TarWriter {

    static final byte REGULAR = '0';
    static final byte HARD_LINK = '1';
    static final byte SYMLINK = '2';
    static final byte CHAR_DEVICE = '3';
    static final byte BLOCK_DEVICE = '4';
    static final byte DIRECTORY = '5';
    static final byte FIFO = '6';
    private static final byte PAX_HEADER = 'x';

    private static final int BLOCK = 512;
    private static final long MAX_ID = 07777777L;
    private static final long MAX_SIZE = 077777777777L;

    /** One entry's header. {@code mode} holds the permission, setuid, setgid and sticky bits only. */
    record Header(String name, byte type, int mode, long uid, long gid, long size, long mtimeSeconds,
            String linkName, int devMajor, int devMinor, Map<String, byte[]> xattrs) {
    }

    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the header and, for a regular file, exactly {@code header.size()} bytes of {@code content}. */
    void write(Header header, InputStream content) throws IOException {
        Map<String, byte[]> pax = pax(header);
        if (!pax.isEmpty()) {
            byte[] records = records(pax);
            writeHeader(paxName(header.name()), PAX_HEADER, 0644, 0, 0, records.length, 0, "", 0, 0);
            out.write(records);
            pad(records.length);
        }
        writeHeader(header.name(), header.type(), header.mode(), header.uid(), header.gid(), header.size(),
                header.mtimeSeconds(), header.linkName() == null ? "" : header.linkName(), header.devMajor(),
                header.devMinor());
        if (header.size() > 0) {
            long remaining = header.size();
            while (remaining > 0) {
                int read = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new IOException("\"" + header.name() + "\" is shorter than the " + header.size()
                            + " bytes it had when it was listed: it changed while it was archived");
                }
                out.write(buffer, 0, read);
                remaining -= read;
            }
            pad(header.size());
        }
    }

    /** The end-of-archive marker: two zero blocks. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    /** What the USTAR header cannot hold, in PAX records (sorted, so that equal input gives equal bytes). */
    private static Map<String, byte[]> pax(Header header) {
        Map<String, byte[]> pax = new TreeMap<>();
        if (!isAscii(header.name()) || split(header.name()) == null) {
            pax.put("path", header.name().getBytes(StandardCharsets.UTF_8));
        }
        String link = header.linkName() == null ? "" : header.linkName();
        if (!isAscii(link) || link.getBytes(StandardCharsets.UTF_8).length > 100) {
            pax.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
        }
        if (header.uid() > MAX_ID || header.uid() < 0) {
            pax.put("uid", Long.toString(header.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (header.gid() > MAX_ID || header.gid() < 0) {
            pax.put("gid", Long.toString(header.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (header.size() > MAX_SIZE) {
            pax.put("size", Long.toString(header.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (header.mtimeSeconds() < 0 || header.mtimeSeconds() > MAX_SIZE) {
            pax.put("mtime", Long.toString(header.mtimeSeconds()).getBytes(StandardCharsets.US_ASCII));
        }
        if (header.xattrs() != null) {
            header.xattrs().forEach((name, value) -> pax.put("SCHILY.xattr." + name, value));
        }
        return pax;
    }

    /** {@code "%d %s=%s\n"}, the length counting the record itself, its own digits included. */
    private static byte[] records(Map<String, byte[]> pax) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : pax.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            int rest = 1 + key.length + 1 + record.getValue().length + 1; // " key=value\n"
            int length = rest + Integer.toString(rest).length();
            if (Integer.toString(length).length() != Integer.toString(rest).length()) {
                length = rest + Integer.toString(length).length();
            }
            bytes.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            bytes.write(' ');
            bytes.write(key);
            bytes.write('=');
            bytes.write(record.getValue());
            bytes.write('\n');
        }
        return bytes.toByteArray();
    }

    private void writeHeader(String name, byte type, int mode, long uid, long gid, long size, long mtime,
            String link, int devMajor, int devMinor) throws IOException {
        byte[] block = new byte[BLOCK];
        String[] parts = isAscii(name) ? split(name) : null;
        if (parts == null) {
            parts = new String[] {"", truncate(name, 100)};
        }
        put(block, 0, 100, parts[1]);
        octal(block, 100, 8, mode & 07777);
        octal(block, 108, 8, uid > MAX_ID || uid < 0 ? 0 : uid);
        octal(block, 116, 8, gid > MAX_ID || gid < 0 ? 0 : gid);
        octal(block, 124, 12, size > MAX_SIZE ? 0 : size);
        octal(block, 136, 12, mtime < 0 || mtime > MAX_SIZE ? 0 : mtime);
        block[156] = type;
        put(block, 157, 100, isAscii(link) ? truncate(link, 100) : "");
        put(block, 257, 6, "ustar\0");
        put(block, 263, 2, "00");
        if (type == CHAR_DEVICE || type == BLOCK_DEVICE) {
            octal(block, 329, 8, devMajor);
            octal(block, 337, 8, devMinor);
        }
        put(block, 345, 155, parts[0]);
        for (int i = 148; i < 156; i++) {
            block[i] = ' ';
        }
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        put(block, 148, 6, checksum);
        block[154] = 0;
        block[155] = ' ';
        out.write(block);
    }

    /** USTAR's prefix and name for {@code name}, or null when it cannot be split to fit (155 and 100 bytes). */
    private static String[] split(String name) {
        if (name.length() <= 100) {
            return new String[] {"", name};
        }
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            if (slash <= 155 && name.length() - slash - 1 <= 100 && slash > 0 && slash < name.length() - 1) {
                return new String[] {name.substring(0, slash), name.substring(slash + 1)};
            }
        }
        return null;
    }

    private static String paxName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = trimmed.lastIndexOf('/');
        String dir = slash < 0 ? "" : trimmed.substring(0, slash + 1);
        String base = slash < 0 ? trimmed : trimmed.substring(slash + 1);
        String pax = dir + "PaxHeaders.0/" + base;
        return isAscii(pax) ? truncate(pax, 100) : "PaxHeaders.0/entry";
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80 || text.charAt(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    private static void put(byte[] block, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, Math.min(length, bytes.length));
    }

    /** {@code length - 1} octal digits, zero-padded, then NUL. */
    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(block, offset, length - 1, padded);
        block[offset + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int remainder = (int) (size % BLOCK);
        if (remainder != 0) {
            out.write(new byte[BLOCK - remainder]);
        }
    }
}
