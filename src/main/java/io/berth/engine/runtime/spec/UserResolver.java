package io.berth.engine.runtime.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Resolves Docker user strings ({@code ""}, {@code name}, {@code uid}, {@code uid:gid}, {@code name:group},
 * {@code uid:group}) against the image's own /etc/passwd and /etc/group, the way runc's and moby's
 * {@code user.GetExecUser} do, with Docker's error messages. The files are looked up inside the rootfs with every
 * symlink resolved in scope (see {@link RootfsPaths}); a missing or non-regular file counts as an empty one.
 */
public final class UserResolver {

    private static final long MAX_ID = Integer.MAX_VALUE;
    private static final String RANGE = "uids and gids must be in range 0-" + MAX_ID;

    private record PasswdEntry(String name, int uid, int gid, String home) {
    }

    private record GroupEntry(String name, int gid, List<String> members) {
    }

    private UserResolver() {
    }

    /**
     * Resolves {@code userSpec} (null or empty: root, or whoever has uid 0 in the image) and the names or numbers in
     * {@code groupAdd}. The additional gids are the primary gid first (as moby gives them since 23.0.3), then the
     * groups that list the user as a member (only when no group is named), then {@code groupAdd}.
     */
    public static ResolvedUser resolve(Path rootfs, String userSpec, List<String> groupAdd) throws IOException {
        String spec = userSpec == null ? "" : userSpec;
        String[] parts = spec.split(":", -1);
        String userArg = parts[0];
        String groupArg = parts.length > 1 ? parts[1] : "";
        Long uidArg = number(userArg);
        Long gidArg = number(groupArg);

        List<PasswdEntry> passwd = passwd(RootfsPaths.resolve(rootfs, "/etc/passwd"));
        List<GroupEntry> groups = groups(RootfsPaths.resolve(rootfs, "/etc/group"));

        int uid = 0;
        int gid = 0;
        String home = "/";
        String matchedName = null;
        Predicate<PasswdEntry> userMatch = userArg.isEmpty() ? e -> e.uid() == 0
                : uidArg != null ? e -> e.uid() == uidArg : e -> e.name().equals(userArg);
        PasswdEntry entry = passwd.stream().filter(userMatch).findFirst().orElse(null);
        if (entry != null) {
            matchedName = entry.name();
            uid = entry.uid();
            gid = entry.gid();
            home = entry.home();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw new InvalidContainerSettingsException(
                        "unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = inRange(uidArg);
        }

        List<Integer> supplementary = new ArrayList<>();
        if (!groupArg.isEmpty()) {
            Predicate<GroupEntry> groupMatch = gidArg != null ? g -> g.gid() == gidArg : g -> g.name().equals(groupArg);
            GroupEntry group = groups.stream().filter(groupMatch).findFirst().orElse(null);
            if (group != null) {
                gid = group.gid();
            } else if (gidArg == null) {
                throw new InvalidContainerSettingsException(
                        "unable to find group " + groupArg + ": no matching entries in group file");
            } else {
                gid = inRange(gidArg);
            }
        } else if (matchedName != null) {
            String name = matchedName;
            groups.stream().filter(g -> g.members().contains(name)).forEach(g -> supplementary.add(g.gid()));
        }

        List<Integer> additional = new ArrayList<>();
        additional.add(gid);
        additional.addAll(supplementary);
        additional.addAll(additionalGroups(groupAdd, groups));
        return new ResolvedUser(uid, gid, List.copyOf(additional), home);
    }

    /** {@code --group-add}: a group name or gid from the image's /etc/group, or any gid in range. */
    private static List<Integer> additionalGroups(List<String> groupAdd, List<GroupEntry> groups) {
        Set<Integer> gids = new LinkedHashSet<>();
        if (groupAdd == null) {
            return List.of();
        }
        for (String wanted : groupAdd) {
            GroupEntry group = groups.stream()
                    .filter(g -> g.name().equals(wanted) || Integer.toString(g.gid()).equals(wanted))
                    .findFirst().orElse(null);
            if (group != null) {
                gids.add(group.gid());
                continue;
            }
            Long gid = number(wanted);
            if (gid == null) {
                throw new InvalidContainerSettingsException("Unable to find group " + wanted);
            }
            gids.add(inRange(gid));
        }
        return List.copyOf(gids);
    }

    /** name:password:uid:gid:gecos:home:shell; a field that is missing or not a number reads as 0, as in runc. */
    private static List<PasswdEntry> passwd(Path file) throws IOException {
        List<PasswdEntry> entries = new ArrayList<>();
        for (String[] fields : lines(file)) {
            entries.add(new PasswdEntry(field(fields, 0), integer(field(fields, 2)), integer(field(fields, 3)),
                    field(fields, 5)));
        }
        return entries;
    }

    /** name:password:gid:member,member */
    private static List<GroupEntry> groups(Path file) throws IOException {
        List<GroupEntry> entries = new ArrayList<>();
        for (String[] fields : lines(file)) {
            String members = field(fields, 3);
            entries.add(new GroupEntry(field(fields, 0), integer(field(fields, 2)),
                    members.isEmpty() ? List.of() : List.of(members.split(","))));
        }
        return entries;
    }

    private static List<String[]> lines(Path file) throws IOException {
        List<String[]> lines = new ArrayList<>();
        if (!RootfsPaths.isRegularFile(file)) {
            return lines;
        }
        // NOFOLLOW_LINKS: RootfsPaths resolved every link; one swapped in since is refused, not followed
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty()) {
                    lines.add(trimmed.split(":", -1));
                }
            }
        }
        return lines;
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index].strip() : "";
    }

    private static int integer(String value) {
        Long number = number(value);
        return number == null || number < Integer.MIN_VALUE || number > Integer.MAX_VALUE ? 0 : number.intValue();
    }

    /** Go's strconv.Atoi: an optional sign and decimal digits; null when it is not a number. */
    private static Long number(String value) {
        if (!value.matches("[+-]?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(value);
    }

    private static int inRange(long id) {
        if (id < 0 || id > MAX_ID) {
            throw new InvalidContainerSettingsException(RANGE);
        }
        return (int) id;
    }
}
