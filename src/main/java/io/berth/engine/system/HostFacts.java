package io.berth.engine.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code docker info} and {@code docker version} say about the machine, read where {@code uname} and dockerd
 * read it: {@code /proc}, {@code /etc/os-release}, the mount table. A fact that cannot be read is an empty string
 * (or 0), never a guess.
 */
record HostFacts(String kernelVersion, String operatingSystem, String osVersion, String hostname, long memTotal,
        int cpus, String cgroupVersion, String architecture, String goArch) {

    static HostFacts read() {
        Map<String, String> osRelease = osRelease(Path.of("/etc/os-release"));
        return new HostFacts(
                firstLine(Path.of("/proc/sys/kernel/osrelease")),
                osRelease.getOrDefault("PRETTY_NAME", ""),
                osRelease.getOrDefault("VERSION_ID", ""),
                firstLine(Path.of("/proc/sys/kernel/hostname")),
                memTotal(Path.of("/proc/meminfo")),
                Runtime.getRuntime().availableProcessors(),
                cgroupVersion(mounts()),
                unameMachine(System.getProperty("os.arch", "")),
                goArch(System.getProperty("os.arch", "")));
    }

    /** {@code uname -m}, as dockerd's Architecture ({@code x86_64}); Java says {@code amd64}. */
    static String unameMachine(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> javaArch;
        };
    }

    /** Go's GOARCH, as dockerd's version Arch ({@code amd64}, {@code arm64}). */
    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> javaArch;
        };
    }

    /** "2" when the unified hierarchy is mounted at /sys/fs/cgroup itself; "1" for v1 and the hybrid layout. */
    static String cgroupVersion(List<Mount> mounts) {
        return mounts.stream().anyMatch(m -> m.mountPoint().equals("/sys/fs/cgroup") && m.type().equals("cgroup2"))
                ? "2" : "1";
    }

    /** The type of the file system holding {@code path} ({@code ext4}, {@code xfs}, ...): the deepest mount above it. */
    static String fileSystemOf(Path path, List<Mount> mounts) {
        String target = path.toAbsolutePath().normalize().toString();
        Mount best = null;
        for (Mount mount : mounts) {
            String point = mount.mountPoint();
            boolean covers = target.equals(point) || point.equals("/") || target.startsWith(point + "/");
            if (covers && (best == null || point.length() >= best.mountPoint().length())) {
                best = mount;
            }
        }
        return best == null ? "" : best.type();
    }

    record Mount(String mountPoint, String type) {
    }

    static List<Mount> mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length >= 3)
                    .map(fields -> new Mount(unescape(fields[1]), fields[2]))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The mount table writes spaces and the like in octal ({@code \040}). */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    static Map<String, String> osRelease(Path file) {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals <= 0 || line.startsWith("#")) {
                    continue;
                }
                String value = line.substring(equals + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                        && value.endsWith(value.substring(0, 1))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(line.substring(0, equals).trim(), value);
            }
            return values;
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static long memTotal(Path meminfo) {
        try {
            Optional<String> line = Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal:")).findFirst();
            if (line.isEmpty()) {
                return 0;
            }
            String[] fields = line.get().substring("MemTotal:".length()).trim().split("\\s+");
            return Long.parseLong(fields[0]) * 1024L; // meminfo counts kB
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
