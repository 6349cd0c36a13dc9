package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.ContainerCreateRequest;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.runtime.spec.ContainerSettings;
import io.berth.support.SpringJson;

class DockerConfigsTest {

    private static final JsonMapper JSON = SpringJson.mapper();

    @TempDir
    Path dir;

    @Test
    void translatesTheDockerCliCreateBody() {
        ContainerCreateRequest body = JSON.readValue("""
                {"Hostname":"","User":"1000:1000","Tty":true,"OpenStdin":true,"Env":["A=1"],
                 "Cmd":["sh","-c","echo hi"],"Image":"busybox","WorkingDir":"/work","Entrypoint":null,
                 "Labels":{"team":"berth"},
                 "HostConfig":{"Binds":["%s:/data:ro","/tmp:/scratch:rshared,z"],"NetworkMode":"default",
                   "Memory":33554432,"MemorySwap":0,"NanoCpus":500000000,"CpuShares":512,"PidsLimit":100,
                   "Privileged":false,"CapAdd":["NET_ADMIN"],"CapDrop":null,"ReadonlyRootfs":true,
                   "Tmpfs":{"/run":"size=1m"},"ConsoleSize":[30,100],
                   "Mounts":[{"Type":"tmpfs","Target":"/cache","TmpfsOptions":{"SizeBytes":1048576,"Mode":1023}}],
                   "Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}],"SecurityOpt":["no-new-privileges:true"]}}
                """.formatted(dir), ContainerCreateRequest.class);
        ContainerSettings settings = DockerConfigs.settings(body.config(), body.hostConfig(),
                new DockerConfigs.NetworkFiles(dir.resolve("hostname"), dir.resolve("hosts"), dir.resolve("resolv")),
                VOLUMES);

        assertThat(settings.cmd()).containsExactly("sh", "-c", "echo hi");
        assertThat(settings.entrypoint()).isNull();
        assertThat(settings.env()).containsExactly("A=1");
        assertThat(settings.user()).isEqualTo("1000:1000");
        assertThat(settings.hostname()).isNull();
        assertThat(settings.tty()).isTrue();
        assertThat(settings.consoleSize().height()).isEqualTo(30);
        assertThat(settings.binds()).containsExactly(new ContainerSettings.BindMount(dir, "/data", true, null),
                new ContainerSettings.BindMount(Path.of("/tmp"), "/scratch", false, "rshared"));
        assertThat(settings.tmpfs()).containsExactly(new ContainerSettings.TmpfsMount("/cache", "size=1048576,mode=1777"),
                new ContainerSettings.TmpfsMount("/run", "size=1m"));
        assertThat(settings.networkMode()).isEqualTo("none");
        assertThat(settings.memory()).isEqualTo(33554432L);
        assertThat(settings.nanoCpus()).isEqualTo(500000000L);
        assertThat(settings.cpuShares()).isEqualTo(512L);
        assertThat(settings.pidsLimit()).isEqualTo(100L);
        assertThat(settings.capAdd()).containsExactly("NET_ADMIN");
        assertThat(settings.readonlyRootfs()).isTrue();
        assertThat(settings.ulimits()).containsExactly(new ContainerSettings.Ulimit("nofile", 1024, 2048));
        assertThat(settings.noNewPrivileges()).isTrue();
        assertThat(settings.hostsPath()).isEqualTo(dir.resolve("hosts"));
    }

    @Test
    void refusesWhatItCannotDo() {
        assertRefused("{\"Binds\":[\"my/volume:/data\"]}", ErrorKind.INVALID, "includes invalid characters");
        assertRefused("{\"Binds\":[\"/a:relative\"]}", ErrorKind.INVALID, "mount path must be absolute");
        assertRefused("{\"Binds\":[\"/a:/b:bogus\"]}", ErrorKind.INVALID, "invalid mode: bogus");
        assertRefused("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/no/such/dir\",\"Target\":\"/x\"}]}", ErrorKind.INVALID,
                "bind source path does not exist: /no/such/dir");
        assertThatThrownBy(() -> DockerConfigs.settings(config("{\"WorkingDir\":\"rel\"}"), hostConfig("{}"), null, VOLUMES))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the working directory 'rel' is invalid, it needs to be an absolute path"));
    }

    @Test
    void volumesNamedAnonymousAndDeclaredByTheImage() {
        ContainerSettings settings = DockerConfigs.settings(config("{\"Volumes\":{\"/declared\":{},\"/bound\":{}}}"),
                hostConfig("{\"Binds\":[\"data:/data:ro\",\"/host:/bound\"],"
                        + "\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/scratch\"}]}"), null, VOLUMES);
        assertThat(settings.binds()).containsExactly(
                new ContainerSettings.BindMount(Path.of("/volumes/data"), "/data", true, null),
                new ContainerSettings.BindMount(Path.of("/host"), "/bound", false, null),
                new ContainerSettings.BindMount(Path.of("/anonymous/scratch"), "/scratch", false, null),
                new ContainerSettings.BindMount(Path.of("/anonymous/declared"), "/declared", false, null));
    }

    @Test
    void hostNetworkAndLoneStringCommands() {
        ContainerSettings settings = DockerConfigs.settings(config("{\"Cmd\":\"true\",\"Entrypoint\":[\"\"]}"),
                hostConfig("{\"NetworkMode\":\"host\"}"), null, VOLUMES);
        assertThat(settings.networkMode()).isEqualTo("host");
        assertThat(settings.cmd()).containsExactly("true");
        assertThat(settings.entrypoint()).containsExactly("");
    }

    @Test
    void initRunsFirstBoundAtDevInit() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/tini-static")),
                "tini-static is not installed");
        ContainerSettings settings = DockerConfigs.settings(config("{\"Entrypoint\":[\"/bin/sh\"],\"Cmd\":[\"-c\",\"x\"]}"),
                hostConfig("{\"Init\":true}"), null, VOLUMES);
        assertThat(settings.entrypoint()).containsExactly("/dev/init", "--", "/bin/sh");
        assertThat(settings.cmd()).containsExactly("-c", "x");
        assertThat(settings.binds()).containsExactly(new ContainerSettings.BindMount(Path.of("/usr/bin/tini-static"),
                "/dev/init", true));
    }

    @Test
    void mergesTheImageConfigAsMobyDoes() {
        ContainerConfig merged = ConfigMerge.merge(config("{\"Env\":[\"A=1\",\"PATH=/mine\"],\"Labels\":{\"a\":\"own\"}}"),
                config("""
                {"Env":["PATH=/usr/bin","HOME=/root"],"Cmd":["sh"],"Entrypoint":null,"WorkingDir":"/w",
                 "StopSignal":"SIGQUIT","Labels":{"a":"image","b":"image"}}"""));
        assertThat(merged.env()).containsExactly("A=1", "PATH=/mine", "HOME=/root");
        assertThat(merged.cmd()).containsExactly("sh");
        assertThat(merged.workingDir()).isEqualTo("/w");
        assertThat(merged.stopSignal()).isEqualTo("SIGQUIT");
        assertThat(merged.labels()).containsEntry("a", "own").containsEntry("b", "image");

        ContainerConfig withEntrypoint = ConfigMerge.merge(config("{\"Entrypoint\":[\"/bin/echo\"]}"),
                config("{\"Cmd\":[\"sh\"]}"));
        assertThat(withEntrypoint.cmd()).isNull(); // a given entrypoint drops the image's Cmd
        assertThat(withEntrypoint.labels()).isEmpty(); // none given, none in the image: empty, as moby makes them
    }

    @Test
    void signalsByNameOrNumber() {
        assertThat(SignalNames.parse("SIGTERM", 0)).isEqualTo(15);
        assertThat(SignalNames.parse("kill", 0)).isEqualTo(9);
        assertThat(SignalNames.parse("10", 0)).isEqualTo(10);
        assertThat(SignalNames.parse("SIGRTMIN+3", 0)).isEqualTo(37);
        assertThat(SignalNames.parse(null, 15)).isEqualTo(15);
        assertThatThrownBy(() -> SignalNames.parse("SIGNOPE", 0)).hasMessage("Invalid signal: SIGNOPE");
    }

    private static void assertRefused(String hostConfig, ErrorKind kind, String message) {
        assertThatThrownBy(() -> DockerConfigs.settings(config("{}"), hostConfig(hostConfig), null, VOLUMES))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    /** Volumes as paths that say what they are, for the translation alone. */
    private static final DockerConfigs.Volumes VOLUMES = new DockerConfigs.Volumes() {
        @Override
        public Path named(String name) {
            if (!VolumeStore.isValidName(name)) {
                throw new BerthException(ErrorKind.INVALID, "create " + name + ": \"" + name + "\" includes invalid characters");
            }
            return Path.of("/volumes", name);
        }

        @Override
        public Path anonymous(String destination) {
            return Path.of("/anonymous" + destination);
        }
    };

    private static ContainerConfig config(String json) {
        return JSON.readValue(json, ContainerConfig.class);
    }

    private static HostConfig hostConfig(String json) {
        return JSON.readValue(json, HostConfig.class);
    }

}
