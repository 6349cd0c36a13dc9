package io.berth.engine.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Name resolution on user networks through aardvark-dns (podman's DNS server), one server per network: it listens on
 * the network's gateway address, port 53, answers the names of the network's containers (name, aliases, short id)
 * with their addresses, and forwards every other name to the host's resolvers (or a container's own, {@code --dns}).
 *
 * <p>The Engine writes aardvark's configuration itself (one file per network: the gateway on the first line, then a
 * line per container; see aardvark-dns' config.md) and sends SIGHUP when it changes; the server reads it anew, and
 * exits once its file is gone. aardvark-dns 1.4 stops and restarts its listeners on each SIGHUP, so a change on one
 * network never disturbs another's server, and {@link #update} returns only once the server answers again with the
 * name just added: a container never starts while its name server is away.
 */
final class AardvarkDns {

    private static final Logger log = LoggerFactory.getLogger(AardvarkDns.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_ANSWER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final String PID_FILE = "aardvark.pid";

    /** One container's line: its id, address, and the names it answers to. */
    record Entry(String containerId, Ipv4 address, List<String> names, List<String> dnsServers) {
    }

    private final Path binary;
    private final Path runDir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AardvarkDns(Path binary, Path runDir) {
        this.binary = binary;
        this.runDir = runDir;
    }

    /**
     * Gives the network's server these entries (all of the network's containers), starting it when it does not run;
     * with no entries left the server stops. Waits until the server answers for {@code awaitName} (may be null).
     */
    void update(NetworkDefinition network, Supplier<? extends Collection<Entry>> state, String awaitName)
            throws IOException {
        boolean serving;
        Object lock = locks.computeIfAbsent(network.id(), id -> new Object());
        // One writer per network at a time, reading the state under its lock: the last write has the latest state.
        synchronized (lock) {
            serving = write(network, state.get());
        }
        if (!serving || awaitName == null) {
            return;
        }
        Ipv4 server = network.subnet().gateway();
        long began = System.nanoTime();
        if (awaitAnswer(server, awaitName, FIRST_ANSWER_TIMEOUT)) {
            return;
        }
        // A server told a moment earlier that its last container had gone may have been on its way out when told of
        // the new one: start another. And a SIGHUP that came while the server was restarting its listeners after an
        // earlier one may go unread on a busy machine: until it answers, it is told again every few seconds.
        long deadline = began + ANSWER_TIMEOUT.toNanos();
        while (true) {
            synchronized (lock) {
                if (pid(network) < 0) {
                    start(configDir(network));
                } else {
                    signal(configDir(network));
                }
            }
            if (awaitAnswer(server, awaitName, FIRST_ANSWER_TIMEOUT)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("aardvark-dns on " + server + " did not answer for " + awaitName + " within "
                        + Duration.ofNanos(System.nanoTime() - began).toSeconds() + "s");
            }
        }
    }

    private boolean write(NetworkDefinition network, Collection<Entry> entries) throws IOException {
        Path dir = configDir(network);
        Path config = dir.resolve(network.shortId());
        if (entries.isEmpty()) {
            boolean existed = Files.deleteIfExists(config);
            if (existed) {
                signal(dir);
            }
            return false;
        }
        Files.createDirectories(dir);
        StringBuilder text = new StringBuilder(network.subnet().gateway().toString()).append('\n');
        for (Entry entry : entries) {
            text.append(entry.containerId()).append(' ').append(entry.address()).append(' ')
                    .append(' ').append(String.join(",", entry.names()));
            if (!entry.dnsServers().isEmpty()) {
                text.append(' ').append(String.join(",", entry.dnsServers()));
            }
            text.append('\n');
        }
        // Written beside the directory and renamed in: aardvark reads every file of its directory, and must never
        // see half of one (or a temporary one a crash left).
        Path partial = Files.createTempFile(runDir, "." + network.shortId() + "-", ".tmp");
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        if (!signal(dir)) {
            start(dir);
        }
        return true;
    }

    /** The pid of the network's server, or -1 when none runs. */
    long pid(NetworkDefinition network) {
        Path pidFile = configDir(network).resolve(PID_FILE);
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return isAardvark(pid) ? pid : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A pid file may outlive its server (a reboot keeps no /run, but a crash may): the pid must still be aardvark. */
    private static boolean isAardvark(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> handle.info().command().map(command -> command.endsWith("aardvark-dns")).orElse(false))
                .orElse(false);
    }

    /** Removes the network's configuration directory (its server has stopped, or is told to). */
    void forget(NetworkDefinition network) throws IOException {
        locks.remove(network.id());
        Path dir = configDir(network);
        Files.deleteIfExists(dir.resolve(network.shortId()));
        signal(dir);
        Files.deleteIfExists(dir.resolve(PID_FILE));
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            log.warn("{} still holds files; left in place", dir);
        }
    }

    Path configDir(NetworkDefinition network) {
        return runDir.resolve(network.shortId());
    }

    /** Sends SIGHUP to the running server; false when there is none. */
    private boolean signal(Path dir) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            return false;
        }
        if (!isAardvark(pid)) {
            return false;
        }
        return KernelCalls.kill(pid, KernelCalls.SIGHUP);
    }

    /** Starts a server for the directory; it forks, and its parent returns once the server is ready to read. */
    private void start(Path dir) throws IOException {
        Subprocess.Result result = Subprocess.run(List.of(binary.toString(), "--config", dir.toString(), "-p", "53",
                "run"), null, null, START_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IOException("aardvark-dns did not start: " + result.stderr() + " " + result.stdoutText());
        }
    }

    /** Asks the server for {@code name} until it answers with an address; false when it did not within the time. */
    private static boolean awaitAnswer(Ipv4 server, String name, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InetAddress address = InetAddress.getByName(server.toString());
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(20);
            byte[] answer = new byte[512];
            while (System.nanoTime() < deadline) {
                int id = ThreadLocalRandom.current().nextInt(0x10000);
                byte[] query = query(id, name);
                try {
                    socket.send(new DatagramPacket(query, query.length, address, 53));
                    DatagramPacket reply = new DatagramPacket(answer, answer.length);
                    socket.receive(reply);
                    if (answers(reply, id)) {
                        return true;
                    }
                } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
                    // restarting its listeners: ask again
                } catch (IOException e) {
                    // ICMP port unreachable shows up as a send or receive error while it rebinds
                }
            }
        }
        return false;
    }

    /** A DNS query for the A record of {@code name}, recursion desired. */
    static byte[] query(int id, String name) {
        ByteBuffer buffer = ByteBuffer.allocate(18 + name.length());
        buffer.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            buffer.put((byte) bytes.length).put(bytes);
        }
        buffer.put((byte) 0).putShort((short) 1).putShort((short) 1);
        byte[] query = new byte[buffer.position()];
        buffer.flip().get(query);
        return query;
    }

    /** Whether a reply to query {@code id} carries an answer (NOERROR with at least one record). */
    static boolean answers(DatagramPacket reply, int id) {
        if (reply.getLength() < 12) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(reply.getData(), reply.getOffset(), 12);
        int replyId = header.getShort() & 0xffff;
        int flags = header.getShort() & 0xffff;
        header.getShort();
        int answerCount = header.getShort() & 0xffff;
        return replyId == id && (flags & 0x8000) != 0 && (flags & 0xf) == 0 && answerCount > 0;
    }
}
