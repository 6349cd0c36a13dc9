package io.berth.ops.dashboard;

import java.util.List;

/**
 * What {@code GET /dashboard/series} answers: every series with its points, and how far apart they are.
 *
 * @param intervalSeconds the sample interval, which is also how often the page asks again
 */
record DashboardSeries(long intervalSeconds, List<SeriesView> series) {
}
