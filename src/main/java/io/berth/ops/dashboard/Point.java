package io.berth.ops.dashboard;

import com.fasterxml.jackson.annotation.JsonFormat;

/** One sample of a series; in JSON {@code [epochSeconds, value]}, the shape uPlot's data arrays are made from. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
record Point(long epochSeconds, double value) {
}
