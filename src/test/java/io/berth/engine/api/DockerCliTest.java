package io.berth.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import io.berth.engine.events.EngineEvents;
import io.berth.support.BerthIntegrationTest;
import io.berth.support.Commands;
import io.berth.support.DockerCli;
import io.berth.support.EngineRequirement;

/** The docker CLI itself talks to the Engine: {@code docker version}, {@code docker info}, {@code docker events}. */
class DockerCliTest extends BerthIntegrationTest {

    @Autowired
    private Environment environment;

    @Autowired
    private ApplicationContext context;

    private Path socket;
    private DockerCli cli;

    @BeforeEach
    void setUp() {
        EngineRequirement.assumeEngine();
        socket = Path.of(environment.getRequiredProperty("berth.engine.socket"));
        cli = DockerCli.against(socket);
    }

    @AfterEach
    void removeConfig() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void dockerVersionShowsTheServer() {
        String output = docker("version").stdout();
        assertThat(output).contains("Server: Berth Engine").containsPattern("API version: +1\\.47 \\(minimum version 1\\.24\\)");
    }

    @Test
    void dockerInfoShowsTheEngine() {
        Commands.Result result = docker("info");
        assertThat(result.stdout()).contains("Server:").contains("Storage Driver:")
                .contains("Cgroup Driver: cgroupfs").contains("Default Runtime: native")
                .contains("Docker Root Dir: " + dataDir().toAbsolutePath().resolve("engine"));
        assertThat(result.stderr()).doesNotContain("error");
    }

    @Test
    void dockerEventsShowsWhatWasPublished() {
        String id = UUID.randomUUID().toString();
        long since = Instant.now().getEpochSecond() - 1;
        context.getBean(EngineEvents.class).publish("container", "start", id, Map.of("name", "cli-" + id));

        String output = docker("events", "--since", String.valueOf(since), "--until", String.valueOf(since + 3),
                "--filter", "container=cli-" + id, "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}").stdout();

        assertThat(output.strip()).isEqualTo("container start " + id);
    }

    /**
     * The fields of the old event format that dockerd still sends for container and image events (API before 1.52),
     * which {@code --format '{{.Status}}'} and older clients read.
     */
    @Test
    void dockerEventsFormatsTheLegacyFields() {
        String id = UUID.randomUUID().toString();
        long since = Instant.now().getEpochSecond() - 1;
        EngineEvents events = context.getBean(EngineEvents.class);
        events.publish("container", "die", id, Map.of("name", "legacy-" + id, "image", "busybox:1"));
        events.publish("image", "tag", "busybox:" + id, Map.of("name", "busybox:" + id));

        String format = "{{.Status}} {{.ID}} {{.From}}";
        assertThat(docker("events", "--since", String.valueOf(since), "--until", String.valueOf(since + 3),
                "--filter", "container=legacy-" + id, "--format", format).stdout().strip())
                .isEqualTo("die " + id + " busybox:1");
        assertThat(docker("events", "--since", String.valueOf(since), "--until", String.valueOf(since + 3),
                "--filter", "type=image", "--filter", "image=busybox:" + id, "--format", format).stdout().strip())
                .isEqualTo("tag busybox:" + id);
    }

    private Commands.Result docker(String... arguments) {
        return cli.command(arguments).succeed();
    }
}
