package io.berth.engine.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.berth.engine.runtime.spec.Resources.DeviceRule;

class DeviceRulesTest {

    @Test
    void rulesReadAsTheV1FilesTakeThem() {
        assertEquals("a", DeviceRules.v1(new DeviceRule(false, "a", null, null, "rwm")));
        assertEquals("c 1:3 rwm", DeviceRules.v1(new DeviceRule(true, "c", 1L, 3L, "rwm")));
        assertEquals("c *:* m", DeviceRules.v1(new DeviceRule(true, "c", null, null, "m")));
        assertEquals("b 8:* rwm", DeviceRules.v1(new DeviceRule(true, "b", 8L, null, null)));
        assertEquals("c 136:* rwm", DeviceRules.v1(new DeviceRule(true, "c", 136L, -1L, "rwm")));
    }

    @Test
    void badRulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DeviceRules.v1(new DeviceRule(true, "x", 1L, 3L, "r")));
        assertThrows(IllegalArgumentException.class, () -> DeviceRules.v1(new DeviceRule(true, "c", 1L, 3L, "rx")));
    }
}
