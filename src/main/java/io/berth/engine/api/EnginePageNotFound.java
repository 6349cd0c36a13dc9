package io.berth.engine.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.berth.engine.OnEngine;

/**
 * An Engine path no controller maps, or a method it does not take, is dockerd's {@code 404 {"message":"page not
 * found"}}. No controller advice can say so: with no controller matched, only global advices apply (the Hub's), so
 * this resolver goes before them, for requests of an Engine connector only.
 */
@Component
@OnEngine
class EnginePageNotFound implements HandlerExceptionResolver, Ordered {

    private static final byte[] BODY = "{\"message\":\"page not found\"}\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception exception) {
        if (!EngineConnectorValve.isEngineRequest(request)
                || !(exception instanceof NoResourceFoundException || exception instanceof HttpRequestMethodNotSupportedException)
                || response.isCommitted()) {
            return null;
        }
        try {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        } catch (IOException e) {
            // The client went away; nothing left to tell it.
        }
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
