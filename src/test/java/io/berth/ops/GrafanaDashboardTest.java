package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.BerthIntegrationTest;
import io.berth.support.EngineRequirement;

/**
 * Dockerfile-free-deploy/grafana/berth-dashboard.json is a dashboard Grafana imports, on a Prometheus data source
 * chosen by a variable, and every metric its queries read is one Berth really exports.
 */
class GrafanaDashboardTest extends BerthIntegrationTest {

    private static final Path DASHBOARD = Path.of("Dockerfile-free-deploy", "grafana", "berth-dashboard.json");

    @LocalManagementPort
    private int managementPort;

    @Test
    void everyQueryReadsMetricsThatBerthExports() throws Exception {
        // The dashboard charts the Engine's meters too, which exist only where the Engine runs.
        EngineRequirement.assumeEngine();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));

        JsonNode variables = dashboard.path("templating").path("list");
        List<JsonNode> dataSources = new ArrayList<>();
        variables.forEach(variable -> {
            if (variable.path("type").asString().equals("datasource")) {
                dataSources.add(variable);
            }
        });
        assertThat(dataSources).hasSize(1);
        assertThat(dataSources.get(0).path("query").asString()).isEqualTo("prometheus");
        String dataSource = "${" + dataSources.get(0).path("name").asString() + "}";

        // query -> where it is, so that a failure names the panel
        Map<String, String> queries = new TreeMap<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo(dataSource);
            assertThat(panel.path("targets").size()).as(panel.path("title").asString()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo(dataSource);
                queries.put(target.path("expr").asString(), "panel \"" + panel.path("title").asString() + "\"");
            }
        }
        variables.forEach(variable -> {
            if (variable.path("type").asString().equals("query")) {
                queries.put(variable.path("query").path("query").asString(),
                        "variable " + variable.path("name").asString());
            }
        });
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);

        Curl.Response scrape = new Curl().get("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> exported = PrometheusScrape.parse(scrape.body()).names();

        Set<String> all = new TreeSet<>();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Set<String> names = PromQlMetricNames.of(query.getKey());
            assertThat(names).as(query.getValue() + ": " + query.getKey()).isNotEmpty();
            assertThat(exported).as(query.getValue() + " reads " + names).containsAll(names);
            all.addAll(names);
        }
        // The meters the issue asks the dashboard to chart are all there.
        assertThat(all).contains("berth_hub_pushes_total", "berth_hub_pulls_total",
                "berth_hub_bytes_received_bytes_total", "berth_hub_bytes_sent_bytes_total",
                "http_server_requests_seconds_bucket", "berth_hub_storage_bytes", "berth_hub_repositories",
                "berth_engine_containers", "berth_engine_container_start_seconds_bucket", "berth_engine_images",
                "jvm_memory_used_bytes", "process_cpu_usage");
    }
}
