package io.berth.hub.metadata;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MetadataConfiguration {

    /** Static: a post-processor must exist before the other beans of its configuration. */
    @Bean
    static BeanPostProcessor embeddedDatabaseSettings() {
        return new EmbeddedDatabaseSettings();
    }
}
