package io.berth.hub.web.repository;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A repository as searches and listings show it.
 *
 * @param visibility {@code public} or {@code private}
 * @param pullCount  manifest pulls, as the registry counts them (written every few seconds)
 * @param updatedAt  when a tag last moved, or when the repository was created if none ever did
 * @param starred    whether the caller starred it; absent for an anonymous caller
 */
record RepositorySummary(String name, String namespace, String visibility, String description, long starCount,
                                long pullCount, Instant createdAt, Instant updatedAt,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Boolean starred) {
}
