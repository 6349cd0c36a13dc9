package io.berth.engine.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.berth.support.EngineRequirement;

/** The {@link Cgroups} bean exists where the Engine runs, and only there. */
class CgroupConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(CgroupConfiguration.class);

    @Test
    void theEngineGetsTheMachinesCgroups() {
        EngineRequirement.assumeEngine();

        contexts.run(context -> assertThat(context).hasSingleBean(Cgroups.class));
    }

    @Test
    void noCgroupsWithoutTheEngine() {
        contexts.withPropertyValues("berth.engine.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Cgroups.class));
    }
}
