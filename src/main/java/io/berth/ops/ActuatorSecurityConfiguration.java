package io.berth.ops;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Actuator's endpoints are open to whoever reaches the management port, in every combination of roles: access is a
 * matter of who may reach that port (keep it off the public network), as with Prometheus' own targets. The roles'
 * chains would let these requests through as well, but a node with neither the Hub nor the Engine has none, and would
 * fall back to Spring Boot's default security (401 for everything but health). First of all chains, since the Hub's
 * last one matches any request; it matches Actuator's paths only.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurityConfiguration {

    @Bean
    @Order(-1)
    SecurityFilterChain actuator(HttpSecurity http, WebEndpointProperties endpoints) throws Exception {
        // Every request of every port meets this chain first: a prefix test keeps registry and Engine API requests
        // clear of the endpoint matcher's own work.
        String basePath = endpoints.getBasePath();
        RequestMatcher anyEndpoint = EndpointRequest.toAnyEndpoint();
        return http
                .securityMatcher(request -> request.getRequestURI().startsWith(basePath) && anyEndpoint.matches(request))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Every operation is a read (GET); there is nothing to forge.
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .build();
    }
}
