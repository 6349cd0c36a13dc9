package io.berth.hub;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.berth.hub.metadata.Visibility;

/**
 * Settings of the registry role ({@code berth.hub.*}); config/application.yml documents each.
 */
@ConfigurationProperties("berth.hub")
public record HubProperties(
        @DefaultValue("true") boolean deleteEnabled,
        @DefaultValue("4MB") DataSize manifestMaxSize,
        @DefaultValue("10000") int maxPageSize,
        @DefaultValue("public") Visibility defaultVisibility,
        @DefaultValue("true") boolean signUpEnabled,
        String initialAdminPassword,
        @DefaultValue Token token,
        @DefaultValue Gc gc) {

    /** Garbage collection settings. */
    public record Gc(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("24h") Duration interval,
            @DefaultValue("1h") Duration gracePeriod,
            @DefaultValue("1h") Duration uploadExpiry) {
    }

    /** The Docker token protocol: who issues tokens, for which service, for how long, signed with which key. */
    public record Token(
            @DefaultValue("berth") String issuer,
            @DefaultValue("berth") String service,
            @DefaultValue("5m") Duration lifetime,
            Path signingKey,
            String realm) {
    }
}
