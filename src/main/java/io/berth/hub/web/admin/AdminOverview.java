package io.berth.hub.web.admin;

import io.berth.hub.gc.GcResult;
import io.berth.hub.metadata.StoredTotal;

/**
 * The administrators' front page: how much there is.
 *
 * @param lastCollection the last garbage collection, or null when none ran yet
 */
record AdminOverview(long users, long organisations, long repositories, StoredTotal stored, GcResult lastCollection) {
}
