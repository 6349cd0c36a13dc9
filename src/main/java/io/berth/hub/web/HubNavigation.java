package io.berth.hub.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.web.NavigationLink;

/** The Hub's own entries in the web UI's navigation bar. */
@Configuration(proxyBeanMethods = false)
class HubNavigation {

    @Bean
    NavigationLink exploreLink() {
        return new NavigationLink("Explore", "/", false, 10);
    }

    @Bean
    NavigationLink adminLink() {
        return new NavigationLink("Admin", "/admin", true, 90);
    }
}
