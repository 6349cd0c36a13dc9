package io.berth.hub.access;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security in front of the Hub. Until accounts exist every request is allowed, as the README says; what this
 * settles now is how the registry API sits behind the security filters: stateless, no CSRF (clients authenticate
 * with tokens, not cookies), no login forms, and none of the response headers that would change what the
 * Distribution API answers (a blob's {@code Cache-Control}, for one).
 */
@Configuration(proxyBeanMethods = false)
class HubSecurityConfiguration {

    /**
     * No observation per security filter: HTTP requests are already timed by route, and wrapping each of a dozen
     * filters of every registry request in its own observation costs a third of the manifest GET throughput.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain registryApi(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/v2", "/v2/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(anonymous -> { })
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // The admin REST API takes JSON from API clients, not forms from a browser session.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .build();
    }
}
