package io.berth.ops.dashboard;

import java.util.List;

/** One series as {@code /dashboard/series} answers it and the page shows it; {@code points} oldest first. */
record SeriesView(String name, String label, String unit, String chart, String meter, List<Point> points) {

    /** The latest value in words, the charts' text alternative: {@code 5 /s}, {@code 1.2 MB}, or that there is none. */
    public String latest() {
        return points.isEmpty() ? "no data yet" : Readings.format(points.get(points.size() - 1).value(), unit);
    }
}
