package io.berth.engine.build.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.runtime.spec.RootfsPaths;

/**
 * {@code COPY --chown=user[:group]} resolved as dockerd resolves it: numbers as they are, names looked up in the
 * stage's own {@code /etc/passwd} and {@code /etc/group} (followed inside the image's root); without a group, the
 * user's string names the group too ({@code --chown=bin} is {@code bin:bin}, {@code --chown=10} is {@code 10:10}).
 */
public record Chown(long uid, long gid) {

    public static final Chown ROOT = new Chown(0, 0);

    /** @param imageRoot the stage's file system as it stands (a read-only view) */
    public static Chown resolve(String spec, Path imageRoot) throws IOException {
        String[] parts = spec.split(":", -1);
        if (parts.length > 2) {
            throw new BerthException(ErrorKind.INVALID, "invalid chown string format: " + spec);
        }
        String user = parts[0];
        String group = parts.length == 2 ? parts[1] : parts[0];
        long uid = lookup(user, imageRoot, "/etc/passwd", 2, "uid for user", "user");
        long gid = lookup(group, imageRoot, "/etc/group", 2, "gid for group", "group");
        return new Chown(uid, gid);
    }

    private static long lookup(String name, Path imageRoot, String file, int idField, String what, String kind)
            throws IOException {
        if (name.matches("\\d{1,10}")) {
            long id = Long.parseLong(name);
            if (id <= Integer.MAX_VALUE) {
                return id;
            }
        }
        Path path = RootfsPaths.resolve(imageRoot, file);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(ErrorKind.INVALID, "can't find " + what + " " + name + ": the image has no "
                    + file);
        }
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String[] fields = line.split(":", -1);
            if (fields.length > idField && fields[0].equals(name)) {
                try {
                    return Long.parseLong(fields[idField].strip());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new BerthException(ErrorKind.INVALID, "can't find " + what + " " + name + ": no such " + kind + ": "
                + name);
    }

    /** {@code --chmod=0644}: an octal mode of at most 07777. */
    public static int parseChmod(String chmod) {
        if (!chmod.matches("[0-7]{1,5}") || Integer.parseInt(chmod, 8) > 07777) {
            throw new BerthException(ErrorKind.INVALID, "invalid chmod parameter: '" + chmod
                    + "'. it should be octal string and between 0 and 07777");
        }
        return Integer.parseInt(chmod, 8);
    }
}
