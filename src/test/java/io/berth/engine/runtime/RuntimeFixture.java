package io.berth.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.berth.common.Digest;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImagePuller;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageReference;
import io.berth.engine.image.PullProgress;
import io.berth.engine.image.RegistryAuth;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSpecFactory;
import io.berth.engine.runtime.spec.ImageRuntimeConfig;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;
import io.berth.support.OciImages;
import io.berth.support.RegistryClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs containers the way the Engine will: an image pulled from the Hub into the image store, a root file system
 * from the graph driver, Docker's spec from the factory, then a {@link ContainerRuntime}. Removes everything it
 * made on {@link #close()}, whatever state the containers are in.
 */
final class RuntimeFixture implements AutoCloseable {

    /** What a container printed, split by stream, and how it ended. */
    record Run(String stdout, String stderr, RuntimeState state) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ContainerRuntime runtime;
    private final GraphDriver graph;
    private final Path workDir;
    private final ImageRecord image;
    private final ImageRuntimeConfig imageConfig;
    private final List<RuntimeContainer> containers = new ArrayList<>();
    private final List<String> rootfsIds = new ArrayList<>();

    private RuntimeFixture(ContainerRuntime runtime, GraphDriver graph, Path workDir, ImageRecord image,
            ImageRuntimeConfig imageConfig) {
        this.runtime = runtime;
        this.graph = graph;
        this.workDir = workDir;
        this.image = image;
        this.imageConfig = imageConfig;
    }

    /** Pushes a fresh busybox image to the Hub as {@code registry} and pulls it through the Engine's image store. */
    static RuntimeFixture withBusybox(ContainerRuntime runtime, GraphDriver graph, ImagePuller puller,
            ContentStore content, RegistryClient registry, String registryHost, Path workDir) {
        String repository = "runtime/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        OciImages.Image busybox = OciImages.busybox(true);
        registry.push(repository, "1", busybox);
        ImageRecord image = puller.pull(ImageReference.parse(registryHost + "/" + repository + ":1"),
                RegistryAuth.ANONYMOUS, PullProgress.NONE).image();
        ImageRuntimeConfig config = ImageRuntimeConfig.from(JSON.readTree(content.read(image.id())));
        return new RuntimeFixture(runtime, graph, workDir, image, config);
    }

    /** A created (not started) container with these settings. */
    RuntimeContainer create(ContainerSettings settings) throws IOException {
        String id = newId();
        return create(id, settings, stateDir(id));
    }

    RuntimeContainer create(String id, ContainerSettings settings, Path stateDir) throws IOException {
        Path bundle = bundle(id, settings);
        RuntimeContainer container = runtime.create(id, bundle, stateDir);
        containers.add(container);
        return container;
    }

    /** Writes the bundle of container {@code id} (its rootfs prepared) and returns its directory. */
    Path bundle(String id, ContainerSettings settings) throws IOException {
        Path rootfs = rootfs(id);
        Spec spec = new ContainerSpecFactory().build(id, settings, imageConfig, rootfs);
        Path bundle = Files.createDirectories(workDir.resolve("bundles").resolve(id));
        SpecJson.write(spec, bundle);
        return bundle;
    }

    /** The root file system of container {@code id} (made on first use, removed by {@link #close()}). */
    Path rootfs(String id) throws IOException {
        Digest top = image.layers().get(image.layers().size() - 1).chainId();
        if (!rootfsIds.contains(id)) {
            rootfsIds.add(id);
        }
        return graph.createRootfs(id, top.toString());
    }

    Path stateDir(String id) {
        return workDir.resolve("state").resolve(id);
    }

    /** Runs {@code command} to its end (at most a minute) and collects its output. */
    Run run(ContainerSettings.Builder settings, String... command) throws IOException, InterruptedException {
        RuntimeContainer container = create(settings.cmd(command).build());
        try (StdioConnection stdio = container.attach()) {
            container.start();
            Run run = collect(stdio, container);
            return run;
        }
    }

    Run run(String... command) throws IOException, InterruptedException {
        return run(ContainerSettings.builder(), command);
    }

    /** Reads the multiplexed output to its end, then the state once the container has ended. */
    static Run collect(StdioConnection stdio, RuntimeContainer container) throws IOException, InterruptedException {
        String[] output = demultiplex(stdio.output());
        RuntimeState state = container.awaitExit(Duration.ofMinutes(1));
        return new Run(output[0], output[1], state);
    }

    /** Stdout and stderr of a multiplexed stream, read to its end. */
    static String[] demultiplex(InputStream output) throws IOException {
        ByteArrayOutputStream[] streams = {new ByteArrayOutputStream(), new ByteArrayOutputStream(),
            new ByteArrayOutputStream()};
        DataInputStream in = new DataInputStream(output);
        byte[] header = new byte[8];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                break;
            }
            int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            byte[] payload = in.readNBytes(length);
            streams[header[0] == 2 ? 2 : 1].write(payload);
        }
        return new String[] {streams[1].toString(StandardCharsets.UTF_8), streams[2].toString(StandardCharsets.UTF_8)};
    }

    static String newId() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (RuntimeContainer container : containers) {
            try {
                container.delete();
            } catch (IOException | RuntimeException e) {
                failure = failure == null ? new IOException("cleaning up containers failed", e) : failure;
            }
        }
        for (String id : rootfsIds) {
            try {
                graph.removeRootfs(id);
            } catch (IOException | RuntimeException e) {
                failure = failure == null ? new IOException("removing a container rootfs failed", e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
