package io.berth.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where the docker CLI tests of containers start: the CLI against an Engine that has pulled the Hub's busybox image,
 * pushed under a repository of its own. On close, every container handed to {@link #removeAfterwards} is removed
 * with force, then the image, whatever the test did.
 */
public final class EngineWithBusybox implements AutoCloseable {

    private final DockerCli cli;
    private final String image;
    private final List<String> containers = new ArrayList<>();

    private EngineWithBusybox(DockerCli cli, String image) {
        this.cli = cli;
        this.image = image;
    }

    /**
     * Pushes busybox to {@code <repositoryPrefix>/busybox-<random>:1} with {@code registry} and pulls it through the
     * Engine at {@code socket} by the name {@code registryHost/...}.
     */
    public static EngineWithBusybox pull(Path socket, RegistryClient registry, String registryHost,
            String repositoryPrefix) {
        String repository = repositoryPrefix + "/busybox-" + UUID.randomUUID().toString().substring(0, 8);
        registry.push(repository, "1", OciImages.busybox(true));
        EngineWithBusybox engine = new EngineWithBusybox(DockerCli.against(socket), registryHost + "/" + repository + ":1");
        try {
            engine.docker("pull", engine.image).assertSuccess();
        } catch (RuntimeException | AssertionError e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** The pulled image's reference. */
    public String image() {
        return image;
    }

    /** Runs the docker CLI against the Engine. */
    public Commands.Result docker(String... arguments) {
        return cli.command(arguments).run();
    }

    /** Marks a container (id or name) for removal on {@link #close}. */
    public void removeAfterwards(String container) {
        containers.add(container);
    }

    @Override
    public void close() {
        for (String container : containers) {
            docker("rm", "-f", container);
        }
        docker("rmi", "-f", image);
        cli.close();
    }
}
