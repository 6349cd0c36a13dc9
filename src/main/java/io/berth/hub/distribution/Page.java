package io.berth.hub.distribution;

import java.util.List;

/**
 * One page of a sorted listing.
 *
 * @param next the {@code last} value for the following page, or null when this page is the final one
 */
record Page(List<String> items, String next) {
}
