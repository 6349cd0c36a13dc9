package io.berth.engine;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Engine role ({@code berth.engine.*}); config/application.yml documents each.
 *
 * @param enabled        whether this node runs the Engine (it also needs root on Linux; see {@link EngineAvailable})
 * @param socket         the unix socket the Docker Engine API listens on
 * @param tcp            a TCP address ({@code host:port}) to serve the API on as well, or null; loopback only unless
 *                       {@code allowRemoteTcp}
 * @param allowRemoteTcp whether {@code tcp} may be a non-loopback address: the Engine API is root on this machine
 * @param storageDriver      {@code overlay}, {@code vfs}, or {@code auto} (overlay where it mounts, else vfs)
 * @param insecureRegistries registries ({@code host:port}) pulled from over plain HTTP; loopback ones always are
 * @param runtime            what runs containers: {@code native} (Berth's own runtime), {@code runc} or {@code crun}
 */
@ConfigurationProperties("berth.engine")
public record EngineProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("/run/berth/engine.sock") Path socket,
        String tcp,
        @DefaultValue("false") boolean allowRemoteTcp,
        @DefaultValue("auto") String storageDriver,
        @DefaultValue List<String> insecureRegistries,
        @DefaultValue("native") String runtime) {
}
