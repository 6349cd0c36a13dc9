package io.berth.hub.distribution;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that asks a check every so many bytes while it streams; the check throws to stop it. A long upload
 * thus stops when the disk reaches its reserve or the account its cap, not only when it began.
 */
final class CheckedBody extends FilterInputStream {

    /** Called with the bytes read so far; throws to refuse the rest. */
    @FunctionalInterface
    interface Check {
        void bytesRead(long count);
    }

    private final long interval;
    private final Check check;
    private long count;
    private long nextCheck;

    CheckedBody(InputStream in, long interval, Check check) {
        super(in);
        this.interval = interval;
        this.check = check;
        this.nextCheck = interval;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        count += n;
        if (count >= nextCheck) {
            nextCheck = count + interval;
            check.bytesRead(count);
        }
    }
}
