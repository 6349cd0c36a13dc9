package io.berth.hub.distribution;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link RegistryErrorReportValve} in place of the host's error report valve. Runs after Spring Boot's own
 * customizer, which adds a plain one, and tells the host not to add its default either: the valve nearest the
 * application reports first, so there must be only this one.
 */
@Component
class RegistryErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final RegistryErrorWriter errors;

    RegistryErrorPages(RegistryErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Pipeline pipeline = context.getParent().getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            pipeline.addValve(new RegistryErrorReportValve(errors));
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(RegistryErrorReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
