package io.berth.hub.web.repository;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.berth.hub.access.caller.RepositoryRole;

/**
 * One repository as its page shows it: the {@link RepositorySummary} fields, its README and the caller's role.
 *
 * @param role what the caller may do with it: {@code read}, {@code write} or {@code admin}
 */
record RepositoryDetails(String name, String namespace, String visibility, String description, long starCount,
                                long pullCount, Instant createdAt, Instant updatedAt,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Boolean starred, String readme,
                                String role) {

    static RepositoryDetails of(RepositorySummary summary, String readme, RepositoryRole role) {
        return new RepositoryDetails(summary.name(), summary.namespace(), summary.visibility(), summary.description(),
                summary.starCount(), summary.pullCount(), summary.createdAt(), summary.updatedAt(), summary.starred(),
                readme, role.wireName());
    }
}
