package io.berth.engine.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The last word on keeping the Engine API off the network: whatever path reached it, a handler of the Engine runs only
 * for a request that came through an Engine connector. {@link EngineRequestFilter} refuses Engine paths on the Hub's
 * port by their text; this refuses by what they resolved to, so that no spelling of a path (percent-encoded letters,
 * say) that the filter did not recognise can reach an Engine controller from the network.
 */
@Configuration(proxyBeanMethods = false)
class EngineHandlersOffTheNetwork implements WebMvcConfigurer {

    private static final String ENGINE_PACKAGE = "io.berth.engine.";

    /**
     * The web UI's node page: a page of the Hub's port by design, closed to all but the Hub's administrators by the web
     * UI's security chain ({@code /node/**}), and only there when the Hub runs. It never serves the Engine API.
     */
    private static final String NODE_CONSOLE_PACKAGE = "io.berth.engine.console.";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (handler instanceof HandlerMethod method
                        && method.getBeanType().getName().startsWith(ENGINE_PACKAGE)
                        && !method.getBeanType().getName().startsWith(NODE_CONSOLE_PACKAGE)
                        && !EngineConnectorValve.isEngineRequest(request)) {
                    response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                    return false;
                }
                return true;
            }
        });
    }
}
