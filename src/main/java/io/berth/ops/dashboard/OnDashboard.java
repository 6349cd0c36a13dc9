package io.berth.ops.dashboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Marks a bean of the dashboard: it exists where the Hub serves the web UI. Without the Hub there is no web UI security
 * chain to close {@code /dashboard/**} to all but administrators, and nobody to look at the charts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "berth.hub.enabled", havingValue = "true", matchIfMissing = true)
@interface OnDashboard {
}
