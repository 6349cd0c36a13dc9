package io.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The few libc calls networking needs that the JDK lacks: a network namespace of its own for one thread
 * ({@code unshare}), pinning it with a bind mount, the interface ioctls that raise {@code lo} in it and take a bridge
 * down and away, and SIGHUP for the DNS server. Each failure becomes an {@link IOException} naming the call and the errno.
 */
final class KernelCalls {

    /** The raw binding; names and signatures are libc's own. */
    public interface Raw {
        int unshare(int flags);

        int mount(String source, String target, String fsType, long flags, String data);

        int umount2(String target, int flags);

        int socket(int domain, int type, int protocol);

        /** {@code request} of the interface ioctls, with a {@code struct ifreq} (or a device name) as argument. */
        int ioctl(int fd, long request, byte[] argument);

        int close(int fd);

        int kill(int pid, int signal);
    }

    static final int CLONE_NEWNET = 0x40000000;
    static final int SIGHUP = 1;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_SHARED = 1 << 20;
    static final int MNT_DETACH = 2;
    static final int UMOUNT_NOFOLLOW = 8;

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCBRDELBR = 0x89a1;
    private static final int IFF_UP = 1;
    /** sizeof(struct ifreq) on Linux: a 16-byte name and a 24-byte union whose first member is the flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    private static final Raw RAW = LibraryLoader.create(Raw.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(RAW);

    private KernelCalls() {
    }

    /** Moves the calling thread (only it) into a new, empty network namespace. */
    static void unshareNetwork() throws IOException {
        check(RAW.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
    }

    static void mount(String source, String target, long flags) throws IOException {
        check(RAW.mount(source, target, "none", flags, null), "mount " + source + " on " + target);
    }

    /** Whether {@code mount} failed because {@code target} is no mount point (EINVAL). */
    static boolean notAMountPoint(IOException e) {
        return e.getMessage().contains("(" + Errno.EINVAL.name() + ")");
    }

    /** Detaches a mount; false when nothing was mounted there (or the path is gone). */
    static boolean detach(String target) throws IOException {
        if (RAW.umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
            return true;
        }
        int errno = RUNTIME.getLastError();
        if (errno == Errno.EINVAL.intValue() || errno == Errno.ENOENT.intValue()) {
            return false;
        }
        throw failure("umount " + target, errno);
    }

    /** Sends a signal; false when there is no such process. */
    static boolean kill(long pid, int signal) throws IOException {
        if (RAW.kill((int) pid, signal) == 0) {
            return true;
        }
        int errno = RUNTIME.getLastError();
        if (errno == Errno.ESRCH.intValue()) {
            return false;
        }
        throw failure("kill " + pid, errno);
    }

    /** Sets an interface up or down, in the calling thread's network namespace. */
    static void setUp(String device, boolean up) throws IOException {
        int fd = socket();
        try {
            byte[] request = ifreq(device);
            check(RAW.ioctl(fd, SIOCGIFFLAGS, request), "SIOCGIFFLAGS " + device);
            int flags = (request[IFNAMSIZ] & 0xff) | (request[IFNAMSIZ + 1] & 0xff) << 8;
            flags = up ? flags | IFF_UP : flags & ~IFF_UP;
            request[IFNAMSIZ] = (byte) flags;
            request[IFNAMSIZ + 1] = (byte) (flags >>> 8);
            check(RAW.ioctl(fd, SIOCSIFFLAGS, request), "SIOCSIFFLAGS " + device);
        } finally {
            RAW.close(fd);
        }
    }

    /** Takes a bridge down and deletes it; false when there is no such bridge. */
    static boolean deleteBridge(String bridge) throws IOException {
        int fd = socket();
        try {
            byte[] request = ifreq(bridge);
            if (RAW.ioctl(fd, SIOCGIFFLAGS, request) != 0) {
                int errno = RUNTIME.getLastError();
                if (errno == Errno.ENODEV.intValue() || errno == Errno.ENXIO.intValue()) {
                    return false;
                }
                throw failure("SIOCGIFFLAGS " + bridge, errno);
            }
            setUp(bridge, false);
            check(RAW.ioctl(fd, SIOCBRDELBR, name(bridge)), "SIOCBRDELBR " + bridge);
            return true;
        } finally {
            RAW.close(fd);
        }
    }

    private static int socket() throws IOException {
        int fd = RAW.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket", RUNTIME.getLastError());
        }
        return fd;
    }

    private static byte[] ifreq(String device) {
        byte[] request = new byte[IFREQ_SIZE];
        byte[] name = name(device);
        System.arraycopy(name, 0, request, 0, name.length);
        return request;
    }

    private static byte[] name(String device) {
        byte[] bytes = device.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name too long: " + device);
        }
        byte[] name = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, name, 0, bytes.length);
        return name;
    }

    private static void check(int result, String call) throws IOException {
        if (result != 0) {
            throw failure(call, RUNTIME.getLastError());
        }
    }

    private static IOException failure(String call, int errno) {
        Errno name = Errno.valueOf(errno);
        return new IOException(call + " failed: " + (name == null || name == Errno.__UNKNOWN_CONSTANT__
                ? "errno " + errno : name.description() + " (" + name.name() + ")"));
    }
}
