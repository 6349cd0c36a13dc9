package io.berth.hub.web;

import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import io.berth.hub.access.caller.Caller;

/** What the OpenAPI document at {@code /api/v1/openapi} says about the REST API as a whole. */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

    private static final String BASIC = "basic";
    private static final String BEARER = "bearer";

    static {
        // The caller comes from the credentials, not from a request parameter a client could set.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI berthApi() {
        return new OpenAPI()
                .info(new Info().title("Berth Hub REST API").version("v1").description(
                        "Accounts, organisations, teams, access tokens and repositories of a Berth Hub."
                                + " Repository names hold slashes; sub-resources follow a /-/ separator:"
                                + " /api/v1/repositories/acme/api/-/tags. Errors are {\"message\": ...}."))
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("username with the password or a personal access token"))
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("a personal access token (berth_pat_...)")))
                .addSecurityItem(new SecurityRequirement().addList(BASIC))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
