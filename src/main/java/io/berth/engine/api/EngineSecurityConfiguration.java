package io.berth.engine.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

import io.berth.engine.OnEngine;

/**
 * Spring Security stays out of the Engine API's way. As with dockerd, access is decided by who may open the socket
 * (its file mode and owner), not per request: no authentication, no authorization, no security context, no CSRF (the
 * Hub's catch-all chain would refuse every POST of the docker CLI), no session, none of the security headers. First of
 * all chains, matching only requests of an Engine connector, and with none of the filters it would otherwise run for
 * every request to decide nothing.
 */
@Configuration(proxyBeanMethods = false)
@OnEngine
class EngineSecurityConfiguration {

    @Bean
    @Order(0)
    SecurityFilterChain engineApi(HttpSecurity http) throws Exception {
        return http
                .securityMatcher(EngineConnectorValve::isEngineRequest)
                .securityContext(AbstractHttpConfigurer::disable)
                .sessionManagement(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .exceptionHandling(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .build();
    }
}
