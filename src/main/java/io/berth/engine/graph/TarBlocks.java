package io.berth.engine.graph;

import java.nio.charset.StandardCharsets;

/** Recognising a tar archive by its first block, before anything of it is unpacked. */
public final class TarBlocks {

    public static final int BLOCK = 512;

    private TarBlocks() {
    }

    /**
     * Whether {@code block} (the first 512 bytes of a stream) is a tar header, or the zeros of an empty archive's end
     * marker: its checksum (bytes 148-155, octal) is the sum of its bytes with that field read as spaces.
     */
    public static boolean isHeader(byte[] block) {
        if (block.length < BLOCK) {
            return false;
        }
        boolean zeros = true;
        for (int i = 0; i < BLOCK; i++) {
            if (block[i] != 0) {
                zeros = false;
                break;
            }
        }
        if (zeros) {
            return true;
        }
        String field = new String(block, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
        if (field.isEmpty() || !field.matches("[0-7]+")) {
            return false;
        }
        long expected = Long.parseLong(field, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return expected == unsigned || expected == signed;
    }
}
