package io.berth.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small files replaced whole: a reader (or a restart after a crash) sees the old content or the new, never half. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // The new name is durable only once the directory is: without this a power cut could bring the old one back.
            Fsync.directory(file.getParent());
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
