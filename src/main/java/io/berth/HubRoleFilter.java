package io.berth;

import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.TypeFilter;

/**
 * Leaves the Hub's components out of the application when {@code berth.hub.enabled=false}: an Engine-only node then
 * serves no registry, no web API and no Hub security rules, only the Engine API and the management port. Done at
 * scanning time rather than with a condition on each of the Hub's many beans, so a new one cannot be forgotten.
 */
public final class HubRoleFilter implements TypeFilter, EnvironmentAware {

    static final String HUB_PACKAGE = "io.berth.hub.";

    private boolean hubEnabled = true;

    @Override
    public void setEnvironment(Environment environment) {
        hubEnabled = environment.getProperty("berth.hub.enabled", Boolean.class, true);
    }

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        return !hubEnabled && reader.getClassMetadata().getClassName().startsWith(HUB_PACKAGE);
    }
}
