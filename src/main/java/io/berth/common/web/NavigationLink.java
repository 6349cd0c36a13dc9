package io.berth.common.web;

/**
 * An entry of the web UI's navigation bar, declared as a bean by whichever role serves the page: the Hub's pages, the
 * Engine's node page, the operators' dashboard. The bar lists those the viewer may open, in {@code order}.
 *
 * @param label              what the link says
 * @param path               where it goes, a path of this site
 * @param administratorsOnly whether only the Hub's administrators see it (the page itself refuses everyone else too)
 * @param order              its place in the bar, smaller first
 */
public record NavigationLink(String label, String path, boolean administratorsOnly, int order) {
}
