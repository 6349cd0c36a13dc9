package io.berth.ops.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} points of one series in two fixed arrays: 16 bytes a point (the time in epoch seconds and
 * the value), allocated once, the oldest point overwritten when full. Safe for one writer and many readers.
 */
final class SeriesRing {

    private final long[] times;
    private final double[] values;
    private int next;
    private int size;

    SeriesRing(int capacity) {
        times = new long[capacity];
        values = new double[capacity];
    }

    synchronized void add(long epochSeconds, double value) {
        times[next] = epochSeconds;
        values[next] = value;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** The points, oldest first. */
    synchronized List<Point> points() {
        List<Point> points = new ArrayList<>(size);
        int first = (next - size + times.length) % times.length;
        for (int i = 0; i < size; i++) {
            int at = (first + i) % times.length;
            points.add(new Point(times[at], values[at]));
        }
        return points;
    }

    int capacity() {
        return times.length;
    }
}
