package io.berth.engine.console;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

import io.berth.engine.OnEngine;

/**
 * Marks a bean of the node page: it exists where the Engine runs and the Hub serves the web UI. Without the Hub there is
 * no web UI security chain to close {@code /node/**} to all but administrators, so the page must not exist then.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@OnEngine
@ConditionalOnProperty(name = "berth.hub.enabled", havingValue = "true", matchIfMissing = true)
@interface OnNodeConsole {
}
