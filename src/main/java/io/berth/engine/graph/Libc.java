package io.berth.engine.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The libc calls the JDK lacks (ownership without following links, setuid modes, xattrs, mknod, mount, linkat;
 * jnr-posix has no mknod nor xattrs, so one jnr-ffi binding serves them all), each wrapped so that a failure becomes
 * an {@link IOException} naming the call, the path and the errno.
 */
final class Libc {

    /** The raw binding; names and signatures are libc's own. */
    public interface Raw {
        int lsetxattr(String path, String name, byte[] value, long size, int flags);

        long lgetxattr(String path, String name, byte[] value, long size);

        long llistxattr(String path, byte[] list, long size);

        int mknod(String path, int mode, long dev);

        /** glibc before 2.33 exports mknod only as this versioned symbol (version 0 on x86_64 and arm64). */
        int __xmknod(int version, String path, int mode, long[] dev);

        int lchown(String path, int uid, int gid);

        int chmod(String path, int mode);

        int symlink(String target, String linkPath);

        /** {@code times} is struct timespec[2] (access, modification) as four longs: seconds, nanoseconds. */
        int utimensat(int dirFd, String path, long[] times, int flags);

        long readlink(String path, byte[] buffer, long size);

        int linkat(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags);

        int mount(String source, String target, String fsType, long flags, String data);

        int umount2(String target, int flags);
    }

    static final int AT_FDCWD = -100;
    static final int UMOUNT_NOFOLLOW = 8;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFIFO = 0010000;

    private static final Raw RAW = LibraryLoader.create(Raw.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(RAW);

    private Libc() {
    }

    static void lsetxattr(String path, String name, byte[] value) throws IOException {
        check(RAW.lsetxattr(path, name, value, value.length, 0), "lsetxattr " + name, path);
    }

    /** The value of one xattr, or null when the file does not have it. */
    static byte[] lgetxattr(String path, String name) throws IOException {
        long size = RAW.lgetxattr(path, name, null, 0);
        if (size < 0) {
            if (RUNTIME.getLastError() == Errno.ENODATA.intValue()) {
                return null;
            }
            check(-1, "lgetxattr " + name, path);
        }
        byte[] value = new byte[(int) size];
        long read = RAW.lgetxattr(path, name, value, value.length);
        check(read < 0 ? -1 : 0, "lgetxattr " + name, path);
        return read == value.length ? value : java.util.Arrays.copyOf(value, (int) read);
    }

    static List<String> llistxattr(String path) throws IOException {
        long size = RAW.llistxattr(path, null, 0);
        check(size < 0 ? -1 : 0, "llistxattr", path);
        byte[] list = new byte[(int) size];
        long read = size == 0 ? 0 : RAW.llistxattr(path, list, list.length);
        check(read < 0 ? -1 : 0, "llistxattr", path);
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < read; i++) {
            if (list[i] == 0) {
                names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    /** Creates a device node or fifo; {@code mode} carries the file type bits. */
    static void mknod(String path, int mode, int major, int minor) throws IOException {
        long dev = makedev(major, minor);
        int result;
        try {
            result = RAW.mknod(path, mode, dev);
        } catch (UnsatisfiedLinkError oldGlibc) {
            result = RAW.__xmknod(0, path, mode, new long[] {dev});
        }
        check(result, "mknod", path);
    }

    static void lchown(String path, long uid, long gid) throws IOException {
        check(RAW.lchown(path, (int) uid, (int) gid), "lchown " + uid + ":" + gid, path);
    }

    /** chmod follows symlinks: callers never pass one. {@code mode} may carry setuid, setgid and sticky. */
    static void chmod(String path, int mode) throws IOException {
        check(RAW.chmod(path, mode & 07777), "chmod " + Integer.toOctalString(mode & 07777), path);
    }

    /** A symlink with {@code target} byte for byte (Path would normalise away a trailing slash). */
    static void symlink(String target, String link) throws IOException {
        check(RAW.symlink(target, link), "symlink " + target + " at", link);
    }

    /**
     * Sets access and modification times of {@code path} itself. Not through the JDK: it opens the file to set them,
     * which blocks forever on a fifo and cannot reach a symlink.
     */
    static void utimes(String path, java.nio.file.attribute.FileTime accessed, java.nio.file.attribute.FileTime modified)
            throws IOException {
        java.time.Instant a = accessed.toInstant();
        java.time.Instant m = modified.toInstant();
        long[] times = {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()};
        check(RAW.utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    /** A symlink's target byte for byte. */
    static String readlink(String link) throws IOException {
        byte[] buffer = new byte[4096]; // PATH_MAX: the kernel never returns a longer target
        long length = RAW.readlink(link, buffer, buffer.length);
        check(length < 0 ? -1 : 0, "readlink", link);
        return new String(buffer, 0, (int) length, StandardCharsets.UTF_8);
    }

    /** Hard link without following a symlink at {@code existing} (flags 0: the link names the symlink itself). */
    static void link(String existing, String link) throws IOException {
        check(RAW.linkat(AT_FDCWD, existing, AT_FDCWD, link, 0), "link " + existing + " to", link);
    }

    static void mount(String source, String target, String fsType, long flags, String data) throws IOException {
        check(RAW.mount(source, target, fsType, flags, data), "mount " + fsType + " (" + data + ") on", target);
    }

    static void umount(String target) throws IOException {
        check(RAW.umount2(target, UMOUNT_NOFOLLOW), "umount", target);
    }

    /** glibc's makedev: 12 bits of major and 20 of minor, split across the 64-bit dev_t. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    private static void check(int result, String call, String path) throws IOException {
        if (result != 0) {
            int errno = RUNTIME.getLastError();
            Errno name = Errno.valueOf(errno);
            throw new IOException(call + " " + path + " failed: "
                    + (name == null || name == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : name.description()
                            + " (" + name.name() + ")"));
        }
    }

}
