package io.berth.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;

import io.berth.common.BerthProperties;
import io.berth.common.DataDirWebServerCustomizer;

/**
 * The management server (Actuator's own port) runs in a child context that does not see the application's
 * server customizers; it gets its document root in the data dir here.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementServerConfiguration {

    @Bean
    DataDirWebServerCustomizer managementDataDirWebServerCustomizer(BerthProperties properties) {
        return new DataDirWebServerCustomizer(properties);
    }
}
