package io.berth.ops.dashboard;

import java.util.List;

/**
 * One series of the dashboard: which meter it reads and how.
 *
 * @param name    its id in {@code /dashboard/series}
 * @param label   what the page calls it
 * @param unit    the unit of its values ({@code /s}, {@code B/s}, {@code B}, {@code ms}, ...)
 * @param chart   the chart it is drawn on (series of one chart share its axes)
 * @param meter   the Micrometer meter it reads; a meter that does not exist (yet) leaves the series empty
 * @param tags    only the meters with these tags (key, value, key, value, ...), summed
 * @param reading how the meter becomes a value
 */
record SeriesDefinition(String name, String label, String unit, String chart, String meter, List<String> tags,
        Reading reading) {

    enum Reading {
        /** A counter's increase over the interval, per second. */
        RATE,
        /** A gauge's value at the moment of the sample. */
        VALUE,
        /** A timer's mean over the interval: its total time's increase divided by its count's, in milliseconds. */
        MEAN,
        /** A timer's largest recent time (Micrometer keeps a decaying maximum of the last minutes), in milliseconds. */
        MAX
    }

    /** What the dashboard shows: the Hub's traffic, request latency, storage, the Engine's containers. */
    static final List<SeriesDefinition> ALL = List.of(
            new SeriesDefinition("pushes", "Pushes", "/s", "Pushes and pulls", "berth.hub.pushes", List.of(),
                    Reading.RATE),
            new SeriesDefinition("pulls", "Pulls", "/s", "Pushes and pulls", "berth.hub.pulls", List.of(),
                    Reading.RATE),
            new SeriesDefinition("bytes.received", "Bytes in", "B/s", "Registry traffic", "berth.hub.bytes.received",
                    List.of(), Reading.RATE),
            new SeriesDefinition("bytes.sent", "Bytes out", "B/s", "Registry traffic", "berth.hub.bytes.sent",
                    List.of(), Reading.RATE),
            new SeriesDefinition("requests.latency.mean", "Mean request time", "ms", "Request latency",
                    "http.server.requests", List.of(), Reading.MEAN),
            new SeriesDefinition("requests.latency.max", "Longest recent request", "ms", "Request latency",
                    "http.server.requests", List.of(), Reading.MAX),
            new SeriesDefinition("storage.used", "Storage used", "B", "Storage used", "berth.hub.storage.bytes",
                    List.of(), Reading.VALUE),
            new SeriesDefinition("containers.running", "Containers running", "", "Containers running",
                    "berth.engine.containers", List.of("state", "running"), Reading.VALUE),
            new SeriesDefinition("container.start.mean", "Mean container start", "ms", "Container start time",
                    "berth.engine.container.start", List.of(), Reading.MEAN),
            new SeriesDefinition("container.start.max", "Longest recent container start", "ms",
                    "Container start time", "berth.engine.container.start", List.of(), Reading.MAX));
}
