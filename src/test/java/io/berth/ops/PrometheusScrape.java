package io.berth.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** One scrape of {@code /actuator/prometheus} (text format): samples by their name and labels as written. */
record PrometheusScrape(Map<String, Double> samples) {

    static PrometheusScrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new PrometheusScrape(samples);
    }

    /** Sample names without labels, e.g. {@code berth_hub_pushes_total}. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String sample : samples.keySet()) {
            int brace = sample.indexOf('{');
            names.add(brace < 0 ? sample : sample.substring(0, brace));
        }
        return names;
    }

    /** The value of {@code sample} exactly as the scrape writes it ({@code name} or {@code name{label="v",...}}). */
    double value(String sample) {
        assertThat(samples).as("the scrape's samples").containsKey(sample);
        return samples.get(sample);
    }
}
