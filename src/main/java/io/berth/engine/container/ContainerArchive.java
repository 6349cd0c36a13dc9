package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.docker.ContainerPathStat;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * {@code docker cp} and {@code docker export} on a container's root file system: a path's stat (for the
 * {@code X-Docker-Container-Path-Stat} header), a tar of it, and a tar unpacked into a directory. Every path is
 * resolved inside the rootfs as the container sees it ({@link RootfsPaths}): neither a symlink in the image nor one in
 * the uploaded tar leads out of it. Bind mounts are not seen: this is the container's own file system only.
 */
final class ContainerArchive {

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    /** Go's os.FileMode type bits, as the path stat carries them. */
    private static final long MODE_DIR = 1L << 31;
    private static final long MODE_SYMLINK = 1L << 27;
    private static final long MODE_SETUID = 1L << 23;
    private static final long MODE_SETGID = 1L << 22;
    private static final long MODE_STICKY = 1L << 20;

    private final Path rootfs;
    private final String containerName;
    private final JsonMapper json;

    ContainerArchive(Path rootfs, String containerName, JsonMapper json) {
        this.rootfs = rootfs;
        this.containerName = containerName;
        this.json = json;
    }

    /** The host path of {@code containerPath}, its last component not followed (a symlink is copied as a link). */
    Path locate(String containerPath) throws IOException {
        if (containerPath == null || containerPath.isEmpty()) {
            throw new BerthException(INVALID, "no path given");
        }
        String clean = containerPath.endsWith("/.") ? containerPath : stripTrailingSlashes(containerPath);
        int slash = clean.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : clean.substring(0, slash);
        String name = clean.substring(slash + 1);
        Path resolvedParent = RootfsPaths.resolve(rootfs, parent);
        Path path = name.isEmpty() || name.equals(".") ? RootfsPaths.resolve(rootfs, clean)
                : name.equals("..") ? RootfsPaths.resolve(rootfs, clean) : resolvedParent.resolve(name);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(NOT_FOUND, "Could not find the file " + containerPath + " in container "
                    + containerName);
        }
        return path;
    }

    /** The header dockerd sends with an archive: base64 of {@code {"name","size","mode","mtime","linkTarget"}}. */
    String stat(String containerPath) throws IOException {
        Path path = locate(containerPath);
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mode = POSIX.lstat(path.toString()).mode();
        long goMode = mode & 0777;
        if ((mode & 04000) != 0) {
            goMode |= MODE_SETUID;
        }
        if ((mode & 02000) != 0) {
            goMode |= MODE_SETGID;
        }
        if ((mode & 01000) != 0) {
            goMode |= MODE_STICKY;
        }
        if (attributes.isDirectory()) {
            goMode |= MODE_DIR;
        } else if (attributes.isSymbolicLink()) {
            goMode |= MODE_SYMLINK;
        }
        ContainerPathStat stat = new ContainerPathStat(path.equals(rootfs) ? "/" : path.getFileName().toString(),
                attributes.size(), goMode,
                DateTimeFormatter.ISO_INSTANT.format(attributes.lastModifiedTime().toInstant()),
                attributes.isSymbolicLink() ? Files.readSymbolicLink(path).toString() : "");
        return Base64.getEncoder().encodeToString(json.writeValueAsBytes(stat));
    }

    /** Writes a tar of {@code containerPath}, its entries under its own name, as dockerd's archive does. */
    void write(String containerPath, OutputStream out) throws IOException {
        Path path = locate(containerPath);
        String base = path.equals(rootfs) ? "." : path.getFileName().toString();
        try (TarArchiveOutputStream tar = tar(out)) {
            add(tar, path, base);
            tar.finish();
        }
    }

    /** {@code docker export}: the whole root file system. */
    void export(OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = tar(out)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(rootfs)) {
                List<Path> sorted = new ArrayList<>();
                children.forEach(sorted::add);
                sorted.sort(null);
                for (Path child : sorted) {
                    add(tar, child, child.getFileName().toString());
                }
            }
            tar.finish();
        }
    }

    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        var stat = POSIX.lstat(path.toString());
        TarArchiveEntry entry;
        if (stat.isSymlink()) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (stat.isDirectory()) {
            entry = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
        } else if (stat.isFile()) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
            entry.setSize(stat.st_size());
        } else {
            return; // devices, fifos and sockets: dockerd's archive has them, docker cp cannot use them
        }
        entry.setMode((int) (stat.mode() & 07777));
        entry.setIds((int) stat.uid(), (int) stat.gid());
        entry.setModTime(stat.mtime() * 1000);
        tar.putArchiveEntry(entry);
        if (stat.isFile()) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
        if (stat.isDirectory()) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                stream.forEach(children::add);
            }
            children.sort(null);
            for (Path child : children) {
                add(tar, child, name + "/" + child.getFileName());
            }
        }
    }

    /**
     * Unpacks {@code in} (an uncompressed tar) into the directory {@code containerPath}. An entry's parent
     * directories are resolved inside the rootfs, so a link in the tar (or the image) never makes a later entry land
     * outside it; a hard link must point into the extraction directory, as with dockerd. An entry that cannot be
     * unpacked is refused naming the entry, in the container's paths: no host path is ever in an answer.
     */
    void extract(String containerPath, InputStream in, boolean noOverwriteDirNonDir) throws IOException {
        Path target = RootfsPaths.resolve(rootfs, containerPath);
        if (!Files.exists(target)) {
            throw new BerthException(NOT_FOUND, "Could not find the file " + containerPath + " in container "
                    + containerName);
        }
        if (!Files.isDirectory(target)) {
            throw new BerthException(INVALID, "extraction point is not a directory");
        }
        String targetInContainer = "/" + rootfs.relativize(target);
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        List<Map.Entry<Path, TarArchiveEntry>> directories = new ArrayList<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = normalize(entry.getName());
            if (name == null) {
                continue; // the archive's root itself
            }
            try {
                Path directory = extractEntry(tar, entry, name, targetInContainer, noOverwriteDirNonDir);
                if (directory != null) {
                    directories.add(Map.entry(directory, entry));
                }
            } catch (IOException e) {
                throw refused(name, e);
            }
        }
        // directories last: creating their entries would have changed their times
        for (Map.Entry<Path, TarArchiveEntry> directory : directories) {
            try {
                attributes(directory.getKey(), directory.getValue());
            } catch (IOException e) {
                throw refused(normalize(directory.getValue().getName()), e);
            }
        }
    }

    /** Unpacks one entry; the directory it made or found, whose attributes are set at the end, else null. */
    private Path extractEntry(TarArchiveInputStream tar, TarArchiveEntry entry, String name, String targetInContainer,
            boolean noOverwriteDirNonDir) throws IOException {
        int slash = name.lastIndexOf('/');
        String parent = slash < 0 ? "" : name.substring(0, slash);
        String last = name.substring(slash + 1);
        Path parentDir = RootfsPaths.resolve(rootfs, targetInContainer + "/" + parent);
        Files.createDirectories(parentDir);
        Path path = parentDir.resolve(last);
        boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        boolean existingDir = exists && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        if (entry.isDirectory()) {
            if (exists && !existingDir) {
                if (noOverwriteDirNonDir) {
                    throw new BerthException(INVALID, "cannot overwrite non-directory " + name + " with directory");
                }
                Files.delete(path);
            }
            if (!existingDir) {
                Files.createDirectory(path);
            }
            return path;
        }
        if (existingDir) {
            if (noOverwriteDirNonDir) {
                throw new BerthException(INVALID, "cannot overwrite directory " + name + " with non-directory");
            }
            throw new BerthException(INVALID, "cannot overwrite directory " + name + " with a file");
        }
        if (entry.isSymbolicLink()) {
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Path linked = hardLinkTarget(name, entry.getLinkName(), targetInContainer);
            Files.deleteIfExists(path);
            try {
                Files.createLink(path, linked);
            } catch (FileAlreadyExistsException e) {
                throw new BerthException(INVALID, "cannot link " + name + ": it exists already");
            }
        } else if (entry.isFile()) {
            Path partial = Files.createTempFile(parentDir, "." + last, ".part");
            try {
                Files.copy(tar, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } else {
            return null; // devices and fifos: docker cp never sends them into a container
        }
        attributes(path, entry);
        return null;
    }

    /**
     * The file a hard link entry links to: its target read in the extraction directory (as dockerd reads it), which it
     * may not leave, and which must exist (earlier in the archive, or in the container).
     */
    private Path hardLinkTarget(String name, String linkName, String targetInContainer) throws IOException {
        String inExtraction = clean(targetInContainer + "/" + linkName);
        String base = clean(targetInContainer);
        if (inExtraction == null || !(inExtraction.equals(base) || base.equals("/")
                || inExtraction.startsWith(base + "/"))) {
            throw new BerthException(INVALID, "invalid hard link " + name + " -> " + linkName
                    + ": its target is outside the directory the archive is extracted to");
        }
        Path linked = RootfsPaths.resolve(rootfs, inExtraction);
        if (!Files.exists(linked, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(linked, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(INVALID, "invalid hard link " + name + " -> " + linkName
                    + ": no such file to link to");
        }
        return linked;
    }

    /** A container path with {@code .} and {@code ..} resolved as text; null when it climbs above {@code /}. */
    private static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(part);
        }
        return "/" + String.join("/", parts);
    }

    /**
     * An entry that could not be unpacked, said in the container's terms: the entry's name and the reason, never the
     * host path (the rootfs's place on the host is nobody's business but root's).
     */
    private BerthException refused(String name, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "file exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            reason = "directory not empty";
        } else if (e instanceof NotDirectoryException) {
            reason = "not a directory";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            reason = fs.getReason();
        } else {
            reason = String.valueOf(e.getMessage()).replace(rootfs.toString(), "");
        }
        ErrorKind kind = e instanceof FileSystemException && !(e instanceof AccessDeniedException) ? INVALID : FAILED;
        return new BerthException(kind, "cannot extract " + name + ": " + reason, e);
    }

    private static void attributes(Path path, TarArchiveEntry entry) throws IOException {
        if (POSIX.lchown(path.toString(), (int) entry.getLongUserId(), (int) entry.getLongGroupId()) != 0) {
            throw new IOException("cannot change its owner: errno " + POSIX.errno());
        }
        if (!entry.isSymbolicLink()) {
            if (POSIX.chmod(path.toString(), entry.getMode() & 07777) != 0) {
                throw new IOException("cannot change its mode: errno " + POSIX.errno());
            }
            Files.setLastModifiedTime(path, FileTime.from(entry.getModTime().toInstant()));
        }
    }

    /** The entry's path without leading slashes, dots or {@code ..} escapes; null for the root itself. */
    static String normalize(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    private static String stripTrailingSlashes(String path) {
        String clean = path;
        while (clean.length() > 1 && clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        return clean;
    }
}
