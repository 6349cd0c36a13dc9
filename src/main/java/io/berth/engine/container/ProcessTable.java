package io.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.berth.engine.docker.ContainerTopResponse;

/**
 * {@code docker top}: the container's processes as {@code ps -ef} on the host shows them (UID, PID, PPID, C, STIME,
 * TTY, TIME, CMD), read from /proc. Host pids and host user names, as with dockerd, which runs ps on the host.
 */
final class ProcessTable {

    static final List<String> TITLES = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    /** USER_HZ: the unit of /proc's cpu times, 100 on every Linux the Engine runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path proc;
    private final Path passwd;

    ProcessTable() {
        this(Path.of("/proc"), Path.of("/etc/passwd"));
    }

    ProcessTable(Path proc, Path passwd) {
        this.proc = proc;
        this.passwd = passwd;
    }

    ContainerTopResponse top(List<Integer> pids) throws IOException {
        Map<Integer, String> users = users();
        long bootTime = bootTime();
        Instant now = Instant.now();
        List<List<String>> rows = new ArrayList<>();
        for (int pid : pids.stream().sorted().toList()) {
            List<String> row = row(pid, users, bootTime, now);
            if (row != null) {
                rows.add(row);
            }
        }
        return new ContainerTopResponse(TITLES, rows);
    }

    /** One process's row; null when it ended meanwhile. */
    List<String> row(int pid, Map<Integer, String> users, long bootTime, Instant now) throws IOException {
        String stat;
        String status;
        byte[] cmdline;
        try {
            stat = Files.readString(proc.resolve(pid + "/stat"), StandardCharsets.UTF_8);
            status = Files.readString(proc.resolve(pid + "/status"), StandardCharsets.UTF_8);
            cmdline = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
        } catch (NoSuchFileException e) {
            return null;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String comm = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).trim().split(" ");
        // fields[0] is stat's third field (state): field n is fields[n - 3]
        int ppid = Integer.parseInt(fields[4 - 3]);
        int ttyNr = Integer.parseInt(fields[7 - 3]);
        long cpuTicks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        long startTicks = Long.parseLong(fields[22 - 3]);

        int uid = uid(status);
        String user = users.getOrDefault(uid, Integer.toString(uid));
        Instant started = Instant.ofEpochSecond(bootTime).plusMillis(startTicks * 1000 / TICKS_PER_SECOND);
        long elapsedSeconds = Math.max(1, now.getEpochSecond() - started.getEpochSecond());
        long cpuSeconds = cpuTicks / TICKS_PER_SECOND;
        long percent = cpuSeconds * 100 / elapsedSeconds;

        String command = command(cmdline, comm);
        return List.of(user, Integer.toString(pid), Integer.toString(ppid), Long.toString(percent),
                startTime(started), tty(ttyNr), cpuTime(cpuSeconds), command);
    }

    private static String command(byte[] cmdline, String comm) {
        int length = cmdline.length;
        while (length > 0 && cmdline[length - 1] == 0) {
            length--;
        }
        if (length == 0) {
            return "[" + comm + "]";
        }
        return new String(cmdline, 0, length, StandardCharsets.UTF_8).replace('\0', ' ');
    }

    /** ps's STIME: the time of day for a process started today, else month and day. */
    static String startTime(Instant started) {
        ZonedDateTime local = started.atZone(ZoneId.systemDefault());
        if (local.toLocalDate().equals(LocalDate.now(ZoneId.systemDefault()))) {
            return DateTimeFormatter.ofPattern("HH:mm").format(local);
        }
        return DateTimeFormatter.ofPattern("MMMdd", Locale.ENGLISH).format(local);
    }

    /** ps's TIME: [DD-]HH:MM:SS of cpu time. */
    static String cpuTime(long seconds) {
        long days = seconds / 86_400;
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60,
                seconds % 60);
        return days > 0 ? days + "-" + time : time;
    }

    /** ps's TTY: pts/N for a pseudo-terminal (major 136-143), ? for none. */
    static String tty(int ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return "tty" + minor;
        }
        return "?";
    }

    private static int uid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private Map<Integer, String> users() throws IOException {
        Map<Integer, String> users = new HashMap<>();
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":");
                if (fields.length > 2 && fields[2].matches("\\d+")) {
                    users.putIfAbsent(Integer.parseInt(fields[2]), fields[0]);
                }
            }
        } catch (NoSuchFileException e) {
            // numbers then
        }
        return users;
    }

    private long bootTime() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IOException("no btime in " + proc.resolve("stat"));
    }

    /** All cpu time of the host in nanoseconds (the first line of /proc/stat), stats' system_cpu_usage. */
    long systemCpuNanos() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.UTF_8)) {
            if (line.startsWith("cpu ")) {
                long ticks = 0;
                for (String field : line.substring(4).trim().split("\\s+")) {
                    ticks += Long.parseLong(field);
                }
                return ticks * (1_000_000_000L / TICKS_PER_SECOND);
            }
        }
        throw new IOException("no cpu line in " + proc.resolve("stat"));
    }
}
