package io.berth.hub.access;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import io.berth.hub.HubProperties;
import io.berth.hub.access.account.Authenticator;
import io.berth.hub.access.token.TokenVerifier;

/**
 * Spring Security in front of the Hub. The registry API is a resource server of the Docker token protocol: stateless,
 * no CSRF (clients send tokens, not cookies), no login forms, and none of the response headers that would change what
 * the Distribution API answers (a blob's {@code Cache-Control}, for one).
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
    SecurityFilterChain registryApi(HttpSecurity http, TokenVerifier verifier, HubProperties hub, Clock clock,
            JsonResponses responses) throws Exception {
        // Built here rather than declared as a bean: a Filter bean would also be registered with the servlet
        // container and run on every request, outside this chain.
        RegistryTokenFilter tokens = new RegistryTokenFilter(new VerifiedTokens(verifier, clock), hub.token().service(),
                hub.token().realm(), responses);
        return http
                .securityMatcher("/v2", "/v2/**")
                .addFilterBefore(tokens, AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain tokenServer(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/token")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Credentials come in the request itself (basic auth or the OAuth2 form), never from a cookie.
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .build();
    }

    /**
     * The REST API. Who calls is settled by {@link ApiAuthenticationFilter}; what they may do, by the services, which
     * know owners and teams. The admin paths are closed to everyone else here as well.
     *
     * <p>CSRF protection applies to browser sessions only: a request that carries its credentials in the
     * {@code Authorization} header cannot be forged by another site. Browsers get the token in the {@code XSRF-TOKEN}
     * cookie and send it back in {@code X-XSRF-TOKEN}, the single-page application scheme.
     */
    @Bean
    @Order(3)
    SecurityFilterChain restApi(HttpSecurity http, SignIn signIn, Authenticator authenticator,
            JsonResponses responses) throws Exception {
        ApiAuthenticationFilter callers = new ApiAuthenticationFilter(signIn, authenticator, responses);
        return http
                .securityMatcher("/api/**")
                .addFilterBefore(callers, CsrfFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/v1/admin/**").hasRole("ADMIN")
                        .anyRequest().permitAll())
                .csrf(csrf -> csrf.spa().ignoringRequestMatchers(
                        request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null,
                        request -> request.getSession(false) == null,
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/login")))
                .exceptionHandling(errors -> errors
                        // RFC 9110 wants a challenge with every 401. Bearer (an access token) rather than Basic:
                        // browsers answer a Basic challenge to a script's request with a password dialog.
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"berth\"");
                            responses.message(response, 401, "sign in first");
                        })
                        .accessDeniedHandler((request, response, e) -> responses.message(response, 403,
                                request.getRequestURI().startsWith("/api/v1/admin/")
                                        ? "administrators only" : "forbidden: " + e.getMessage())))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .build();
    }

    /**
     * The web UI and everything else: browser sessions only (the same session {@code POST /api/v1/login} opens),
     * CSRF tokens in every form, and Spring Security's protective headers with a Content Security Policy that admits
     * no inline script and no script from elsewhere. Pages for signed-in people send the others to the sign-in page;
     * the administrators' pages answer 403 to everyone else. What a page shows is decided by the same services as the
     * REST API, so a private repository stays as invisible here as there.
     */
    @Bean
    @Order(4)
    SecurityFilterChain webUi(HttpSecurity http, SignIn signIn, Authenticator authenticator, JsonResponses responses)
            throws Exception {
        ApiAuthenticationFilter callers = ApiAuthenticationFilter.sessionsOnly(signIn, authenticator, responses);
        return http
                .addFilterBefore(callers, CsrfFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(WebUiPaths.ADMINISTRATORS).hasRole("ADMIN")
                        .requestMatchers(WebUiPaths.SIGNED_IN).authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(WebUiPaths::sendToSignIn)
                        .accessDeniedHandler((request, response, e) ->
                                response.sendError(403, "this page is for administrators")))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(WebUiPaths.CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicy.SAME_ORIGIN)))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .build();
    }
}
