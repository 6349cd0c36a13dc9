package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.AtomicFiles;
import io.berth.common.BerthProperties;
import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;

/**
 * The node's containers: one {@code container.json} per container under {@code <data>/engine/containers/<id>/},
 * written atomically and loaded at start, and the index of their names. Names and ids resolve as dockerd resolves
 * them: a full id, then a name (with or without its slash), then a unique id prefix.
 */
@Component
@OnEngine
public class ContainerStore {

    private static final Logger log = LoggerFactory.getLogger(ContainerStore.class);

    static final String RECORD_FILE = "container.json";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    /** moby's validContainerNamePattern: a leading slash is Docker's, not the user's. */
    private static final Pattern NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Path root;
    private final JsonMapper json;
    private final Map<String, ContainerRecord> byId = new HashMap<>();
    /** Names with their slash; a name is reserved here before its container is saved. */
    private final Map<String, String> idByName = new HashMap<>();

    @Autowired
    public ContainerStore(BerthProperties berth, JsonMapper json) throws IOException {
        this(berth.dataDir().resolve("engine").resolve("containers"), json);
    }

    ContainerStore(Path root, JsonMapper json) throws IOException {
        this.root = Files.createDirectories(root);
        this.json = json;
        load();
    }

    /** The directory of container {@code id}: its record, bundle, runtime state and files. */
    Path directory(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a container id: " + id);
        }
        return root.resolve(id);
    }

    /** One lock per container for its record file: see {@link #save}. */
    private final Map<String, RecordLock> recordLocks = new java.util.concurrent.ConcurrentHashMap<>();

    public synchronized List<ContainerRecord> all() {
        List<ContainerRecord> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(ContainerRecord::created).reversed().thenComparing(ContainerRecord::id));
        return all;
    }

    public synchronized Optional<ContainerRecord> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The container {@code idOrName} designates; 404 "No such container", 400 for an ambiguous prefix. */
    public synchronized ContainerRecord resolve(String idOrName) {
        return find(idOrName).orElseThrow(() -> new BerthException(NOT_FOUND, "No such container: " + idOrName));
    }

    public synchronized Optional<ContainerRecord> find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return Optional.empty();
        }
        ContainerRecord exact = byId.get(idOrName);
        if (exact != null) {
            return Optional.of(exact);
        }
        String id = idByName.get(idOrName.startsWith("/") ? idOrName : "/" + idOrName);
        if (id != null && byId.containsKey(id)) {
            return Optional.of(byId.get(id));
        }
        List<ContainerRecord> matches = byId.values().stream().filter(c -> c.id().startsWith(idOrName)).toList();
        if (matches.size() > 1) {
            throw new BerthException(INVALID, "Multiple IDs found with provided prefix: " + idOrName);
        }
        return matches.stream().findFirst();
    }

    /**
     * Reserves {@code name} (with or without its slash) for container {@code id}; 409 in dockerd's words when another
     * container has it, 400 when it is no valid name. Returns the name with its slash.
     */
    public synchronized String reserveName(String name, String id) {
        if (!NAME.matcher(name).matches()) {
            throw new BerthException(INVALID, "Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        String slashed = name.startsWith("/") ? name : "/" + name;
        String holder = idByName.get(slashed);
        if (holder != null && !holder.equals(id)) {
            throw new BerthException(CONFLICT, "Conflict. The container name \"" + slashed
                    + "\" is already in use by container \"" + holder
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        idByName.put(slashed, id);
        return slashed;
    }

    public synchronized boolean nameTaken(String name) {
        return idByName.containsKey(name.startsWith("/") ? name : "/" + name);
    }

    /** Gives a reserved name back (a create that failed, a rename's old name). */
    public synchronized void releaseName(String name, String id) {
        idByName.remove(name, id);
    }

    /**
     * Saves a new or changed container; its name must be reserved for it. The record is fsynced under its own
     * container's lock, not the store's: fifty containers starting at once must not queue behind each other's disk
     * writes. Saves of one container stay in order.
     */
    public void save(ContainerRecord container) {
        synchronized (lockFor(container.id())) {
            write(container, true);
            synchronized (this) {
                byId.put(container.id(), container);
            }
        }
    }

    /** Changes container {@code id} and saves it, forced to disk; the changed record, or empty when it is gone. */
    public Optional<ContainerRecord> update(String id, UnaryOperator<ContainerRecord> change) {
        return update(id, change, true);
    }

    /**
     * Changes container {@code id} and saves it without forcing it to disk: for a change that describes its processes
     * (running, paused, between two runs), which a crash of the machine ends anyway, and for its removal, which the
     * deletion of its record follows at once. A crash of the Engine alone loses none of it.
     */
    Optional<ContainerRecord> updateTransient(String id, UnaryOperator<ContainerRecord> change) {
        return update(id, change, false);
    }

    private Optional<ContainerRecord> update(String id, UnaryOperator<ContainerRecord> change, boolean force) {
        synchronized (lockFor(id)) {
            ContainerRecord current;
            synchronized (this) {
                current = byId.get(id);
            }
            if (current == null) {
                return Optional.empty();
            }
            ContainerRecord changed = change.apply(current);
            if (changed != current) {
                write(changed, force);
                synchronized (this) {
                    byId.computeIfPresent(id, (key, old) -> changed);
                }
            }
            return Optional.of(changed);
        }
    }

    /** Forgets container {@code id} and its name; its directory is the caller's to delete. */
    public void remove(String id) {
        synchronized (lockFor(id)) {
            synchronized (this) {
                ContainerRecord removed = byId.remove(id);
                if (removed != null) {
                    idByName.remove(removed.name(), id);
                }
            }
            try {
                Files.deleteIfExists(directory(id).resolve(RECORD_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the record of container " + id, e);
            }
        }
        recordLocks.remove(id);
    }

    private RecordLock lockFor(String id) {
        return recordLocks.computeIfAbsent(id, key -> new RecordLock());
    }

    /** What a record's writes synchronize on. */
    private static final class RecordLock {
    }

    public synchronized int count() {
        return byId.size();
    }

    private void write(ContainerRecord container, boolean force) {
        Path dir = directory(container.id());
        try {
            Files.createDirectories(dir);
            byte[] content = json.writeValueAsBytes(container);
            if (force) {
                AtomicFiles.write(dir.resolve(RECORD_FILE), content);
            } else {
                ContainerFiles.replace(dir.resolve(RECORD_FILE), content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save container " + container.id(), e);
        }
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(RECORD_FILE);
                if (!ID.matcher(dir.getFileName().toString()).matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    ContainerRecord container = json.readValue(file.toFile(), ContainerRecord.class);
                    byId.put(container.id(), container);
                    idByName.put(container.name(), container.id());
                } catch (JacksonException e) {
                    // One damaged record must not keep the Engine from starting; the directory stays for a look.
                    log.error("ignoring container {}: its record {} cannot be read: {}", dir.getFileName(), file,
                            e.getOriginalMessage());
                }
            }
        }
    }
}
