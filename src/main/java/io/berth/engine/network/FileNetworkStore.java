package io.berth.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.berth.common.AtomicFiles;

/**
 * {@link NetworkStore} in files: {@code <root>/<network id>.json} and {@code <root>/containers/<container id>.json},
 * each written whole and renamed into place ({@link AtomicFiles}).
 */
final class FileNetworkStore implements NetworkStore {

    private static final Logger log = LoggerFactory.getLogger(FileNetworkStore.class);

    private final Path root;
    private final Path containers;
    private final JsonMapper json;

    FileNetworkStore(Path root, JsonMapper json) {
        this.root = root;
        this.containers = root.resolve("containers");
        this.json = json;
        try {
            Files.createDirectories(containers);
            // What a crash in the middle of a write left: never a record.
            try (DirectoryStream<Path> partials = Files.newDirectoryStream(containers, ".*.tmp")) {
                for (Path partial : partials) {
                    Files.deleteIfExists(partial);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + containers, e);
        }
    }

    @Override
    public List<NetworkDefinition> networks() {
        return read(root, NetworkDefinition.class);
    }

    @Override
    public void save(NetworkDefinition network) {
        write(root.resolve(network.id() + ".json"), network);
    }

    @Override
    public void deleteNetwork(String networkId) {
        delete(root.resolve(networkId + ".json"));
    }

    @Override
    public List<ContainerNetwork> containers() {
        return read(containers, ContainerNetwork.class);
    }

    /**
     * Renamed into place whole, but not flushed to the disk: a killed Engine finds it (the page cache outlives the
     * process), and a machine that crashes takes the namespaces, interfaces and rules it describes with it, so a lost
     * record describes nothing; flushing would cost every container start a disk write.
     */
    @Override
    public void save(ContainerNetwork container) {
        Path file = containers.resolve(container.containerId() + ".json");
        try {
            Path partial = Files.createTempFile(containers, "." + file.getFileName() + "-", ".tmp");
            try {
                Files.write(partial, json.writeValueAsBytes(container));
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void deleteContainer(String containerId) {
        delete(containers.resolve(containerId + ".json"));
    }

    private void write(Path file, Object record) {
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private <T> List<T> read(Path dir, Class<T> type) {
        List<T> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    records.add(json.readValue(file.toFile(), type));
                } catch (JacksonException e) {
                    // Only a damaged disk makes one: every file is renamed into place whole.
                    log.error("ignoring unreadable network record {}: {}", file, e.getOriginalMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return records;
    }
}
