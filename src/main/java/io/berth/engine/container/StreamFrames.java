package io.berth.engine.container;

/** Docker's multiplexed stream: an 8-byte header (stream, three zero bytes, big-endian length) before each payload. */
final class StreamFrames {

    static final int STDOUT = 1;
    static final int STDERR = 2;

    private StreamFrames() {
    }

    static byte[] frame(int stream, byte[] payload) {
        byte[] frame = new byte[8 + payload.length];
        frame[0] = (byte) stream;
        int length = payload.length;
        frame[4] = (byte) (length >>> 24);
        frame[5] = (byte) (length >>> 16);
        frame[6] = (byte) (length >>> 8);
        frame[7] = (byte) length;
        System.arraycopy(payload, 0, frame, 8, length);
        return frame;
    }
}
