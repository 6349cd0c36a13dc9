package io.berth.hub.web.repository;

import java.util.Locale;

import io.berth.hub.HubException;

/**
 * What a repository search asks for.
 *
 * @param text      matched, case-insensitively, against names and descriptions; null or blank for everything
 * @param namespace only repositories of this namespace; null or blank for all
 */
record RepositoryQuery(String text, String namespace, Order order, int page, int size) {

    /** How results are ordered: by name, or the most pulled, starred or recently updated first. */
    enum Order {
        NAME, PULLS, STARS, UPDATED;

        static Order of(String value) {
            if (value == null || value.isBlank()) {
                return NAME;
            }
            for (Order order : values()) {
                if (order.name().equalsIgnoreCase(value)) {
                    return order;
                }
            }
            throw HubException.invalid("sort is name, pulls, stars or updated, not " + value);
        }
    }

    RepositoryQuery {
        new Paging(page, size); // refuses what is no page
        text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        namespace = namespace == null || namespace.isBlank() ? null : namespace.strip();
    }

    long offset() {
        return new Paging(page, size).offset();
    }
}
