package io.berth.ops.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.web.NavigationLink;

/** The dashboard's entry in the web UI's navigation bar, for administrators. */
@Configuration(proxyBeanMethods = false)
@OnDashboard
class DashboardNavigation {

    @Bean
    NavigationLink dashboardLink() {
        return new NavigationLink("Dashboard", "/dashboard", true, 60);
    }
}
