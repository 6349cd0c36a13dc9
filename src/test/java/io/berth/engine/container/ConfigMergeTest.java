package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.HostConfig;
import io.berth.engine.runtime.spec.ContainerSpecFactory;
import io.berth.engine.runtime.spec.ImageRuntimeConfig;
import io.berth.engine.runtime.spec.Spec;
import io.berth.support.SpringJson;

/**
 * The merged Config stands for the container and its image together: {@code docker update} makes the spec again from
 * it alone, and must get the spec the create made from the container's settings and the image's.
 */
class ConfigMergeTest {

    private static final JsonMapper JSON = SpringJson.mapper();
    private static final String ID = "a".repeat(64);
    private static final ContainerConfig IMAGE = config("""
            {"Env":["PATH=/usr/bin:/bin","HOME=/srv","LANG=C"],"Entrypoint":["/entry"],"Cmd":["serve","--port=80"],
             "WorkingDir":"/srv","User":"web","StopSignal":"SIGQUIT","Labels":{"a":"image"}}""");

    @TempDir
    Path temp;

    @Test
    void theMergedConfigMakesTheSpecOfContainerAndImage() throws Exception {
        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nweb:x:33:33::/srv:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nweb:x:33:\n");
        ContainerSpecFactory specs = new ContainerSpecFactory();
        for (String own : List.of("{}", "{\"Cmd\":[\"status\"]}", "{\"Entrypoint\":[\"/bin/sh\"]}",
                "{\"Entrypoint\":[\"\"],\"Cmd\":[\"true\"]}", "{\"Env\":[\"LANG=de\",\"HOME\"],\"User\":\"root\"}",
                "{\"WorkingDir\":\"/tmp\",\"Entrypoint\":[],\"Cmd\":[\"x\"]}")) {
            ContainerConfig merged = ConfigMerge.merge(config(own), IMAGE);
            Spec atCreate = specs.build(ID, settings(merged), ImageConfigs.runtime(IMAGE), rootfs);
            Spec fromMergedAlone = specs.build(ID, settings(merged), ImageRuntimeConfig.empty(), rootfs);
            assertThat(fromMergedAlone).as(own).isEqualTo(atCreate);
        }
    }

    private static io.berth.engine.runtime.spec.ContainerSettings settings(ContainerConfig config) {
        return DockerConfigs.settings(config, HostConfig.empty().withDaemonDefaults(), null, null);
    }

    private static ContainerConfig config(String json) {
        return JSON.readValue(json, ContainerConfig.class);
    }
}
