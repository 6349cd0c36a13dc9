package io.berth.engine.runtime.berthinit;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.BerthProperties;
import io.berth.engine.EngineProperties;
import io.berth.engine.OnEngine;
import io.berth.engine.runtime.ContainerRuntime;
import io.berth.engine.runtime.cgroup.Cgroups;

/**
 * The runtime {@code berth.engine.runtime} names: Berth's own (default), or runc/crun given the same bundles. It lives
 * beside the runtimes it makes, so that {@code engine.runtime} holds only what the Engine programs against.
 */
@Configuration(proxyBeanMethods = false)
@OnEngine
class RuntimeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfiguration.class);

    @Bean
    ContainerRuntime containerRuntime(EngineProperties engine, BerthProperties berth, Cgroups cgroups)
            throws IOException {
        ContainerRuntime runtime = switch (engine.runtime()) {
            case "native" -> new NativeRuntime(BerthInitBinary.install(berth.dataDir()), cgroups);
            case "runc", "crun" -> OciCliRuntime.install(engine.runtime(), berth.dataDir(), cgroups);
            default -> throw new IllegalArgumentException("berth.engine.runtime=" + engine.runtime()
                    + " is not a runtime Berth knows: native, runc or crun");
        };
        log.info("Engine runtime: {} (cgroups {}, {})", runtime.name(), cgroups.version(), cgroups.driver());
        return runtime;
    }
}
