package io.berth.engine.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import io.berth.engine.EngineAvailable;
import io.berth.engine.EngineProperties;

/**
 * One line at startup on the Engine: where it listens, or why it is off. Not conditional on the Engine, so that a
 * node without it says why.
 */
@Component
class EngineStartupLog implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(EngineStartupLog.class);

    private final ApplicationContext context;
    private final EngineProperties engine;

    EngineStartupLog(ApplicationContext context, EngineProperties engine) {
        this.context = context;
        this.engine = engine;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // The management server's event reaches this context too; the Engine's connectors are on the main server.
        if (event.getApplicationContext() != context) {
            return;
        }
        String reason = EngineAvailable.reason(engine.enabled());
        if (reason != null) {
            log.info("Engine off: {}", reason);
            return;
        }
        String tcp = engine.tcp() == null || engine.tcp().isBlank() ? "" : " and tcp://" + engine.tcp().replaceFirst("^tcp://", "");
        log.info("Engine API listening on unix://{}{}", engine.socket().toAbsolutePath(), tcp);
    }
}
