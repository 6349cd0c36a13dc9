package io.berth.ops;

import java.util.Map;

import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * Whether to record the start-up timeline ({@code berth.ops.startup-timeline=true}), which Actuator then serves at
 * {@code /actuator/startup}. The recording must be chosen before Spring reads any configuration file, so only the
 * command line, a system property and the environment ({@code BERTH_OPS_STARTUP_TIMELINE}) can ask for it.
 */
public final class StartupTimeline {

    static final String PROPERTY = "berth.ops.startup-timeline";

    private StartupTimeline() {
    }

    public static boolean requested(String[] args) {
        return requested(args, System.getenv(), System.getProperty(PROPERTY));
    }

    static boolean requested(String[] args, Map<String, String> environment, String systemProperty) {
        String fromArgs = new SimpleCommandLinePropertySource(args).getProperty(PROPERTY);
        String value = fromArgs != null ? fromArgs
                : systemProperty != null ? systemProperty
                : environment.get("BERTH_OPS_STARTUP_TIMELINE");
        return "true".equalsIgnoreCase(value);
    }
}
