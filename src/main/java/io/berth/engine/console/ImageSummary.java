package io.berth.engine.console;

import java.util.List;

/**
 * One row of the node page's image table.
 *
 * @param tags the image's references ({@code host:5000/team/app:1}); empty for a dangling image
 * @param size its unpacked layers, as {@code docker images} counts it
 */
record ImageSummary(String id, String shortId, List<String> tags, long size, String sizeText) {
}
