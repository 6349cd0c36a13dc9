package io.berth.engine.runtime.cgroup;

import java.util.Set;

import io.berth.engine.runtime.spec.Resources;

/** Device cgroup rules as the v1 devices.allow and devices.deny files take them. */
final class DeviceRules {

    private static final Set<String> TYPES = Set.of("a", "b", "c");

    private DeviceRules() {
    }

    /** {@code c 1:3 rwm}, {@code c *:* m}; {@code a} alone for every device. */
    static String v1(Resources.DeviceRule rule) {
        String type = rule.type() == null ? "a" : rule.type();
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("device rule type must be a, b or c, not " + type);
        }
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("device rule access must be some of rwm, not " + access);
        }
        if (type.equals("a")) {
            return "a";
        }
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long value) {
        return value == null || value < 0 ? "*" : Long.toString(value);
    }
}
