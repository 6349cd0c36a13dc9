package io.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.berth.support.Commands;
import io.berth.support.RequiredTools;

/**
 * The systemd units in Dockerfile-free-deploy/systemd: systemd itself finds nothing to object to, the Engine units
 * leave running containers alone when the service stops and keep out of containers' way, and the Hub-only unit is
 * sandboxed as systemd rates it.
 */
class SystemdUnitsTest {

    private static final Path UNITS = Path.of("Dockerfile-free-deploy", "systemd");
    /** Options that containers would inherit, or that give each start its own mount namespace: not for the Engine. */
    private static final List<String> BREAK_THE_ENGINE = List.of("NoNewPrivileges", "SystemCallFilter",
            "RestrictSUIDSGID", "LockPersonality", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
            "ReadWritePaths", "ReadOnlyPaths", "ProtectKernelTunables", "ProtectControlGroups", "CapabilityBoundingSet",
            "RestrictNamespaces", "DynamicUser", "MountFlags", "PrivateMounts");

    @ParameterizedTest
    @ValueSource(strings = {"berth.service", "berth-engine.service", "berth-hub.service"})
    void systemdVerifiesTheUnitWithoutAWord(String unit) {
        Path analyze = RequiredTools.require("systemd-analyze", "systemd");
        Commands.Result verify = Commands.of(analyze.toString(), "verify",
                UNITS.resolve(unit).toAbsolutePath().toString()).run();
        // verify exits 0 for unknown keys and bad values too, and says so on stderr.
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.stderr()).as("systemd-analyze verify " + unit).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"berth.service", "berth-engine.service"})
    void engineUnitsLeaveContainersRunningAcrossStopsAndRestarts(String unit) throws IOException {
        Map<String, List<String>> service = read(unit);
        assertThat(service.get("KillMode")).containsExactly("process");
        assertThat(service.get("User")).containsExactly("root");
        assertThat(service.get("RuntimeDirectory")).containsExactly("berth");
        assertThat(service.get("RuntimeDirectoryPreserve")).containsExactly("yes");
        assertThat(service.get("StateDirectory")).containsExactly("berth");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(String.join(" ", service.get("ExecStart"))).contains("--berth.data-dir=/var/lib/berth")
                .contains("--berth.engine.socket=/run/berth/engine.sock")
                .contains("--spring.config.additional-location=optional:file:/etc/berth/")
                .doesNotContain("berth.engine.enabled=false");
        assertThat(service.keySet()).doesNotContainAnyElementsOf(BREAK_THE_ENGINE);
    }

    @Test
    void engineNodeLeavesTheHubOut() throws IOException {
        assertThat(String.join(" ", read("berth-engine.service").get("ExecStart")))
                .contains("--berth.hub.enabled=false");
        assertThat(String.join(" ", read("berth.service").get("ExecStart"))).doesNotContain("berth.hub.enabled");
    }

    @Test
    void hubOnlyUnitIsSandboxed() throws IOException {
        Map<String, List<String>> service = read("berth-hub.service");
        assertThat(String.join(" ", service.get("ExecStart"))).contains("--berth.engine.enabled=false");
        assertThat(service.get("DynamicUser")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("CapabilityBoundingSet")).containsExactly("");

        Path analyze = RequiredTools.require("systemd-analyze", "systemd");
        Commands.Result security = Commands.of(analyze.toString(), "security", "--offline=true",
                UNITS.resolve("berth-hub.service").toAbsolutePath().toString()).run();
        Matcher level = Pattern.compile("Overall exposure level for berth-hub.service: ([0-9.]+)")
                .matcher(security.stdout());
        assertThat(level.find()).as(security.output()).isTrue();
        // systemd rates 0-10; below 2 is "OK" (a unit with no sandboxing at all rates 9.6).
        assertThat(Double.parseDouble(level.group(1))).isLessThan(2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"berth.service", "berth-engine.service", "berth-hub.service"})
    void unitsStartBerthThroughTheLauncherWithItsCacheInTheCacheDirectory(String unit) throws IOException {
        Map<String, List<String>> service = read(unit);
        assertThat(String.join(" ", service.get("ExecStart"))).startsWith("/bin/sh /opt/berth/berth ");
        assertThat(String.join(" ", service.get("Environment")))
                .contains("BERTH_JAR=/opt/berth/berth.jar").contains("BERTH_CACHE=/var/cache/berth");
        assertThat(service.get("CacheDirectory")).containsExactly("berth");
        assertThat(Path.of("Dockerfile-free-deploy", "berth")).isExecutable();
    }

    /** The [Service] section's keys with their values (a key may repeat), continuation lines joined. */
    private static Map<String, List<String>> read(String unit) throws IOException {
        String text = Files.readString(UNITS.resolve(unit)).replaceAll("\\\\\\n\\s*", " ");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        boolean inService = false;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inService = trimmed.equals("[Service]");
            } else if (inService && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                keys.computeIfAbsent(trimmed.substring(0, eq), key -> new ArrayList<>())
                        .add(trimmed.substring(eq + 1).strip());
            }
        }
        return keys;
    }
}
