package io.berth.engine.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.web.NavigationLink;

/** The node page's entry in the web UI's navigation bar, for administrators. */
@Configuration(proxyBeanMethods = false)
@OnNodeConsole
class NodeNavigation {

    @Bean
    NavigationLink nodeLink() {
        return new NavigationLink("Node", "/node", true, 50);
    }
}
