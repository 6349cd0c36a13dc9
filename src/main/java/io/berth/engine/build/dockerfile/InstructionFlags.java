package io.berth.engine.build.dockerfile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} flags of one instruction, checked against those it takes: an unknown flag, a repeated one,
 * a value missing or given to a boolean wrongly is an error. Flags that only BuildKit implements get an error that says
 * so rather than "unknown flag".
 */
final class InstructionFlags {

    private final String instruction;
    private final Map<String, Boolean> defined = new HashMap<>(); // name -> is boolean
    private final Set<String> buildKitOnly = new HashSet<>();
    private final Map<String, String> values = new HashMap<>();

    InstructionFlags(String instruction) {
        this.instruction = instruction;
    }

    InstructionFlags string(String name) {
        defined.put(name, false);
        return this;
    }

    InstructionFlags bool(String name) {
        defined.put(name, true);
        return this;
    }

    /** Flags of this instruction that the classic builder does not implement. */
    InstructionFlags buildKitOnly(String... names) {
        buildKitOnly.addAll(List.of(names));
        return this;
    }

    InstructionFlags parse(List<String> flags) {
        for (String flag : flags) {
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("arg should start with -- : " + flag);
            }
            int equals = flag.indexOf('=');
            String name = (equals < 0 ? flag : flag.substring(0, equals)).substring(2);
            String value = equals < 0 ? null : flag.substring(equals + 1);
            if (buildKitOnly.contains(name)) {
                throw new IllegalArgumentException(instruction + " --" + name + " is a BuildKit feature; this Engine "
                        + "builds with the classic builder, which does not support it");
            }
            Boolean bool = defined.get(name);
            if (bool == null) {
                throw new IllegalArgumentException("unknown flag: --" + name);
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("duplicate flag specified: --" + name);
            }
            if (bool) {
                if (value != null && value.isEmpty()) {
                    throw new IllegalArgumentException("missing a value on flag: --" + name);
                }
                String normalised = value == null ? "true" : value.toLowerCase(Locale.ROOT);
                if (!normalised.equals("true") && !normalised.equals("false")) {
                    throw new IllegalArgumentException("expecting boolean value for flag --" + name + ", not: "
                            + value);
                }
                values.put(name, normalised);
            } else {
                if (value == null) {
                    throw new IllegalArgumentException("missing a value on flag: --" + name);
                }
                values.put(name, value);
            }
        }
        return this;
    }

    /** The flag's value, null when it was not given. */
    String value(String name) {
        return values.get(name);
    }

    boolean isTrue(String name) {
        return "true".equals(values.get(name));
    }
}
