package io.berth.engine.runtime.berthinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.runtime.cgroup.CgroupsDetector;
import io.berth.engine.runtime.spec.Spec;

/**
 * Writes the plan of a bundle once, for {@code berth-init run <plan>} to run without a JVM (the benchmark):
 * {@code java -cp <classpath> io.berth.engine.runtime.berthinit.PlanTool <bundle> <plan-file>}. The process joins
 * no cgroup. Fields of config.json that Berth does not model (as {@code runc spec} writes some) are ignored.
 */
public final class PlanTool {

    private PlanTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PlanTool <bundle> <plan-file>");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]).toAbsolutePath();
        JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Spec spec = json.readValue(bundle.resolve("config.json").toFile(), Spec.class);
        String plan = PlanWriter.container(spec, bundle, List.of(), CgroupsDetector.detect().version());
        Files.writeString(Path.of(args[1]), plan);
    }
}
