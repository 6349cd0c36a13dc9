package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard check is only as good as the names it finds in each expression. */
class PromQlMetricNamesTest {

    @Test
    void findsTheMetricsButNotFunctionsLabelsVariablesOrNumbers() {
        assertThat(PromQlMetricNames.of("histogram_quantile(0.95, sum by (le, uri) (rate("
                + "http_server_requests_seconds_bucket{instance=~\"$instance\",uri!~\"/actuator.*\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(PromQlMetricNames.of("sum(rate(berth_hub_pushes_total[5m])) / ignoring (job) "
                + "sum(rate(berth_hub_pulls_total{job=\"berth\"}[${__rate_interval}])) * 100"))
                .containsExactly("berth_hub_pulls_total", "berth_hub_pushes_total");
        assertThat(PromQlMetricNames.of("max without (instance) (berth_hub_storage_bytes) or vector(0)"))
                .containsExactly("berth_hub_storage_bytes");
        assertThat(PromQlMetricNames.of("berth_engine_images offset 5m > bool 1e3"))
                .containsExactly("berth_engine_images");
        assertThat(PromQlMetricNames.of("label_values(process_uptime_seconds{job=\"berth\"}, instance)"))
                .containsExactly("process_uptime_seconds");
    }
}
