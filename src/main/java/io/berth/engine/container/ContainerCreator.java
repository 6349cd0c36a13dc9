package io.berth.engine.container;

import static io.berth.common.error.ErrorKind.CONFLICT;
import static io.berth.common.error.ErrorKind.FAILED;
import static io.berth.common.error.ErrorKind.INVALID;
import static io.berth.common.error.ErrorKind.NOT_FOUND;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.ContainerCreateRequest;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImageNotFoundException;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageReference;
import io.berth.engine.image.ImageService;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.engine.runtime.spec.ContainerSpecFactory;
import io.berth.engine.runtime.spec.InvalidContainerSettingsException;
import io.berth.engine.runtime.spec.Spec;
import io.berth.engine.runtime.spec.SpecJson;

/**
 * {@code docker create}: a container from an image and the create body. Everything the body asks for is checked
 * before anything is made; then the name is reserved, volumes are made (the image's files copied into new ones), the
 * runtime spec is written and the record saved, and the rootfs is unmounted again until the container's first start.
 * A create that fails leaves nothing behind.
 */
@Service
@OnEngine
public class ContainerCreator {

    private static final Logger log = LoggerFactory.getLogger(ContainerCreator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new container's id and what dockerd would warn about. */
    public record Created(String id, List<String> warnings) {
    }

    private final ContainerStore store;
    private final ImageService images;
    private final ContentStore content;
    private final GraphDriver graph;
    private final VolumeStore volumes;
    private final ContainerEvents events;
    private final ContainerNetworking networking;
    private final Clock clock;
    private final JsonMapper json;
    private final ContainerSpecFactory specs = new ContainerSpecFactory();
    private final NameGenerator names = new NameGenerator();

    ContainerCreator(ContainerStore store, ImageService images, ContentStore content, GraphDriver graph,
            VolumeStore volumes, ContainerEvents events, ContainerNetworking networking, Clock clock, JsonMapper json) {
        this.store = store;
        this.images = images;
        this.content = content;
        this.graph = graph;
        this.volumes = volumes;
        this.events = events;
        this.networking = networking;
        this.clock = clock;
        this.json = json;
    }

    public Created create(String name, ContainerCreateRequest body) {
        if (body == null) {
            throw new BerthException(INVALID, "config cannot be empty in order to create a container");
        }
        String imageName = body.config().image();
        if (imageName == null || imageName.isEmpty()) {
            throw new BerthException(INVALID, "no image given in the create body (Image)");
        }
        ImageRecord image = image(imageName);
        ContainerConfig imageConfig = ImageConfigs.read(json, content.read(image.id()));
        ContainerConfig config = ConfigMerge.merge(body.config(), imageConfig);
        HostConfig hostConfig = body.hostConfig().withDaemonDefaults();
        List<String> warnings = networking.check(config, hostConfig, body.networkingConfig());
        HealthCheck.of(config);
        if (!RestartManager.validated(hostConfig.restartPolicy()).isNo() && hostConfig.autoRemove()) {
            throw new BerthException(INVALID, "can't create 'AutoRemove' container with restart policy");
        }

        String id = HexFormat.of().formatHex(randomBytes());
        String slashed = reserveName(name, id);
        ContainerFiles files = new ContainerFiles(store.directory(id));
        ContainerVolumes containerVolumes = ContainerVolumes.creating(volumes);
        try {
            ContainerSettings settings = DockerConfigs.settings(config, hostConfig, files.networkFiles(),
                    containerVolumes);
            createBindSources(hostConfig);
            String topChainId = image.layers().isEmpty() ? null
                    : image.layers().get(image.layers().size() - 1).chainId().toString();
            Path rootfs = graph.createRootfs(id, topChainId);
            containerVolumes.copyImageContent(settings, rootfs);
            Spec spec = specs.build(id, settings, ImageConfigs.runtime(imageConfig), rootfs);
            Files.createDirectories(files.bundle());
            SpecJson.write(spec, files.bundle());
            if (config.hostname().isEmpty()) {
                config = config.withHostname(spec.hostname());
            }
            List<String> args = spec.process().args();
            ContainerRecord container = new ContainerRecord(id, slashed, clock.instant(), image.id().toString(),
                    imageName, topChainId, args.get(0), args.subList(1, args.size()), config, hostConfig,
                    ContainerNetworking.endpoints(hostConfig, body.networkingConfig()), ContainerState.created(), 0,
                    false, containerVolumes.anonymousVolumes());
            store.save(container);
            unmountRootfs(id); // mounted again at start: a container that never runs holds no mount
            events.publish(container, "create");
            return new Created(id, warnings);
        } catch (InvalidContainerSettingsException e) {
            discard(id, slashed, files, containerVolumes);
            throw new BerthException(INVALID, e.getMessage());
        } catch (IOException e) {
            discard(id, slashed, files, containerVolumes);
            throw new BerthException(FAILED, "cannot create the container: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(id, slashed, files, containerVolumes);
            throw e;
        }
    }

    private ImageRecord image(String imageName) {
        try {
            return images.get(imageName);
        } catch (ImageNotFoundException e) {
            String shown = ImageReference.isValid(imageName)
                    ? ImageReference.parse(imageName).withDefaultTag().familiar() : imageName;
            throw new BerthException(NOT_FOUND, "No such image: " + shown);
        }
    }

    private String reserveName(String name, String id) {
        if (name != null && !name.isEmpty()) {
            return store.reserveName(name, id);
        }
        for (;;) {
            try {
                return store.reserveName(names.generate(store::nameTaken), id);
            } catch (BerthException e) {
                if (e.kind() != CONFLICT) {
                    throw e;
                }
                // another create took the generated name meanwhile: another one
            }
        }
    }

    /** dockerd creates a missing host directory of a {@code -v} bind; {@code --mount} sources must exist. */
    private static void createBindSources(HostConfig hostConfig) throws IOException {
        for (String bind : hostConfig.binds() == null ? List.<String>of() : hostConfig.binds()) {
            DockerConfigs.Bind parsed = DockerConfigs.Bind.parse(bind);
            if (!parsed.isVolume() && !Files.exists(Path.of(parsed.source()))) {
                Files.createDirectories(Path.of(parsed.source()));
            }
        }
    }

    /** Like dockerd, a container that does not run has its rootfs unmounted (its writable layer stays). */
    private void unmountRootfs(String id) {
        try {
            graph.unmountRootfs(id);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot unmount the rootfs of container {}: {}", id, e.toString());
        }
    }

    private void discard(String id, String name, ContainerFiles files, ContainerVolumes containerVolumes) {
        store.releaseName(name, id);
        try {
            for (String volume : containerVolumes.anonymousVolumes().values()) {
                volumes.remove(volume);
            }
            graph.removeRootfs(id);
            files.delete();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot clean up after the failed create of container {}: {}", id, e.toString());
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
