package io.berth.ops.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The operators' dashboard: charts of the Hub's traffic, request latency, storage and the Engine's containers over the
 * last hours, from {@link MeterHistory}. Administrators only ({@code /dashboard/**} in the web UI's security chain).
 */
@Controller
@OnDashboard
class DashboardPage {

    private final MeterHistory history;

    DashboardPage(MeterHistory history) {
        this.history = history;
    }

    /** The page: one section per chart with each series' latest value in words; dashboard.js draws the charts. */
    @GetMapping("/dashboard")
    String dashboard(Model model) {
        Map<String, List<SeriesView>> charts = history.series().stream()
                .collect(Collectors.groupingBy(SeriesView::chart, LinkedHashMap::new, Collectors.toList()));
        model.addAttribute("charts", charts);
        model.addAttribute("intervalSeconds", history.interval().toSeconds());
        return "dashboard/index";
    }

    @GetMapping("/dashboard/series")
    @ResponseBody
    DashboardSeries series() {
        return new DashboardSeries(history.interval().toSeconds(), history.series());
    }
}
