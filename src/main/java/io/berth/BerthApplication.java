package io.berth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.berth.ops.StartupTimeline;

// @SpringBootApplication spelled out, for one more scan filter: the Hub's role can be switched off.
@SpringBootConfiguration
// No in-memory user with a generated password: Berth's own accounts will authenticate people.
@EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = HubRoleFilter.class)})
@ConfigurationPropertiesScan
@EnableScheduling
public class BerthApplication {

    /** Steps of the start-up timeline kept when it is recorded: a start of Berth takes about 2,000. */
    private static final int STARTUP_STEPS = 10_000;

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BerthApplication.class);
        if (StartupTimeline.requested(args)) {
            // Served at /actuator/startup on the management port. Off by default: the buffer stays in memory.
            application.setApplicationStartup(new BufferingApplicationStartup(STARTUP_STEPS));
        }
        application.run(args);
    }
}
