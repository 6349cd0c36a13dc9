package io.berth.ops;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Marks an ops bean that reads the Hub's beans: it exists only where the Hub does. The same switch as
 * {@link io.berth.HubRoleFilter}, which leaves every {@code io.berth.hub.*} bean out when it is off.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(prefix = "berth.hub", name = "enabled", havingValue = "true", matchIfMissing = true)
@interface OnHub {
}
