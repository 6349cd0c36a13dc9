package io.berth.engine.runtime.cgroup;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.engine.OnEngine;

/** The machine's {@link Cgroups}; a layout lacking a controller containers need stops start-up with the reason. */
@OnEngine
@Configuration(proxyBeanMethods = false)
public class CgroupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CgroupConfiguration.class);

    @Bean
    Cgroups cgroups() throws IOException {
        Cgroups cgroups = CgroupsDetector.detect();
        log.info("Engine cgroups: {} layout ({}), containers under {}", cgroups.version(), cgroups.driver(),
                CgroupPaths.PARENT);
        return cgroups;
    }
}
