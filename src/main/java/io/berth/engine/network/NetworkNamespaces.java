package io.berth.engine.network;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Containers' network namespaces, each pinned by a bind mount on a file of its own ({@code <dir>/<container id>}),
 * as {@code ip netns add} pins them: the namespace exists before any process of the container, the runtime joins it
 * by path ({@code setns}), and it outlives the Engine until {@link #remove}.
 *
 * <p>Made without a helper process: a short-lived thread of the JVM unshares its own network namespace (the other
 * threads keep the host's), raises {@code lo} in it, bind-mounts {@code /proc/thread-self/ns/net} onto the file and
 * ends. The directory is a shared mount point, so that removing a pin also removes the copies that mount namespaces
 * made since then hold (a container being set up, a service with a private /tmp): otherwise such a copy would keep
 * the namespace, and the veth in it, alive.
 */
final class NetworkNamespaces {

    private final Path dir;
    private volatile boolean prepared;

    NetworkNamespaces(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path directory() {
        return dir;
    }

    /** The pin of a container's namespace (whether it exists or not). */
    Path path(String containerId) {
        return dir.resolve(containerId);
    }

    /** A new network namespace with {@code lo} up and nothing else, pinned at {@link #path}. */
    Path create(String containerId) throws IOException {
        prepare();
        Path pin = path(containerId);
        try {
            Files.createFile(pin);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("network namespace " + pin + " exists already");
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A thread of its own, which ends with the unshared namespace: no pooled thread may ever run in it.
        Thread thread = new Thread(() -> {
            try {
                KernelCalls.unshareNetwork();
                KernelCalls.setUp("lo", true);
                KernelCalls.mount("/proc/thread-self/ns/net", pin.toString(), KernelCalls.MS_BIND);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "netns-" + containerId.substring(0, Math.min(12, containerId.length())));
        thread.start();
        joinUninterruptibly(thread);
        if (failure.get() != null) {
            remove(pin);
            Throwable cause = failure.get();
            throw cause instanceof IOException io ? io : new IOException("cannot create network namespace " + pin,
                    cause);
        }
        return pin;
    }

    /** Unpins a namespace (it ends when its last process does) and deletes the file; nothing there is fine. */
    void remove(Path pin) throws IOException {
        KernelCalls.detach(pin.toString());
        Files.deleteIfExists(pin);
    }

    /** Whether {@code pin} still holds a namespace (a reboot, or someone's umount, leaves a plain file or nothing). */
    boolean isPinned(Path pin) {
        try {
            return Files.exists(pin) && "nsfs".equals(Files.getFileStore(pin).type());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes the directory a shared mount point, once: a bind mount of itself if it is no mount point yet, as
     * {@code ip netns} does with /run/netns.
     */
    private void prepare() throws IOException {
        if (prepared) {
            return;
        }
        synchronized (this) {
            if (prepared) {
                return;
            }
            Files.createDirectories(dir);
            try {
                KernelCalls.mount("none", dir.toString(), KernelCalls.MS_SHARED | KernelCalls.MS_REC);
            } catch (IOException e) {
                if (!KernelCalls.notAMountPoint(e)) {
                    throw e;
                }
                KernelCalls.mount(dir.toString(), dir.toString(), KernelCalls.MS_BIND | KernelCalls.MS_REC);
                KernelCalls.mount("none", dir.toString(), KernelCalls.MS_SHARED | KernelCalls.MS_REC);
            }
            prepared = true;
        }
    }

    /** The thread does three system calls: waiting for it beats leaving a half-made namespace behind. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
