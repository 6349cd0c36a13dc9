package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The node's named volumes, {@code local} driver only: {@code <data>/engine/volumes/<name>/_data} holds the files,
 * {@code volume.json} next to it what the volume was created with.
 */
@Component
@OnEngine
public class VolumeStore {

    private static final Logger log = LoggerFactory.getLogger(VolumeStore.class);
    private static final String RECORD_FILE = "volume.json";
    /** moby's local driver's volume name pattern. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Path root;
    private final Clock clock;
    private final JsonMapper json;
    private final Map<String, VolumeRecord> volumes = new HashMap<>();

    @Autowired
    public VolumeStore(BerthProperties berth, Clock clock, JsonMapper json) throws IOException {
        this(berth.dataDir().resolve("engine").resolve("volumes"), clock, json);
    }

    VolumeStore(Path root, Clock clock, JsonMapper json) throws IOException {
        this.root = Files.createDirectories(root);
        this.clock = clock;
        this.json = json;
        load();
    }

    static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The volume {@code name}, made if there is none: {@code docker volume create} and {@code -v name:/path}. */
    public synchronized Created create(String name, Map<String, String> labels, Map<String, String> options,
            boolean anonymous) {
        if (!isValidName(name)) {
            throw new BerthException(INVALID, "create " + name + ": \"" + name + "\" includes invalid characters for a "
                    + "local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a "
                    + "host directory, use absolute path");
        }
        if (options != null && !options.isEmpty()) {
            throw new BerthException(INVALID, "create " + name + ": driver options (" + options.keySet()
                    + ") are not supported by this engine's local volumes");
        }
        VolumeRecord existing = volumes.get(name);
        if (existing != null) {
            return new Created(existing, false);
        }
        VolumeRecord volume = new VolumeRecord(name, clock.instant(), labels, options, anonymous);
        try {
            Files.createDirectories(data(name));
            AtomicFiles.write(root.resolve(name).resolve(RECORD_FILE),
                    json.writeValueAsBytes(volume));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name, e);
        }
        volumes.put(name, volume);
        return new Created(volume, true);
    }

    /** A volume and whether this call made it (a new volume is empty: the image's files may be copied in). */
    public record Created(VolumeRecord volume, boolean isNew) {
    }

    public synchronized Optional<VolumeRecord> get(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    public synchronized VolumeRecord resolve(String name) {
        return get(name).orElseThrow(() -> new BerthException(NOT_FOUND, "get " + name + ": no such volume"));
    }

    public synchronized List<VolumeRecord> all() {
        List<VolumeRecord> all = new ArrayList<>(volumes.values());
        all.sort(Comparator.comparing(VolumeRecord::name));
        return all;
    }

    /** Where a volume's files are, what containers mount. */
    public Path data(String name) {
        return root.resolve(name).resolve("_data");
    }

    /** Deletes the volume and its files; the caller made sure no container uses it. */
    public synchronized void remove(String name) {
        if (volumes.remove(name) == null) {
            throw new BerthException(NOT_FOUND, "get " + name + ": no such volume");
        }
        try {
            new ContainerFiles(root.resolve(name)).delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete volume " + name, e);
        }
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Path file = dir.resolve(RECORD_FILE);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    VolumeRecord volume = json.readValue(file.toFile(), VolumeRecord.class);
                    volumes.put(volume.name(), volume);
                } catch (JacksonException e) {
                    log.error("ignoring volume {}: {} cannot be read: {}", dir.getFileName(), file,
                            e.getOriginalMessage());
                }
            }
        }
    }
}
