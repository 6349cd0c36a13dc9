package io.berth.hub.web.repository;

import java.util.Locale;

import io.berth.hub.access.HubException;

/**
 * What a repository search asks for.
 *
 * @param text      matched, case-insensitively, against names and descriptions; null or blank for everything
 * @param namespace only repositories of this namespace; null or blank for all
 */
record RepositoryQuery(String text, String namespace, Order order, int page, int size) {

    static final int MAX_SIZE = 100;

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
        if (page < 1) {
            throw HubException.invalid("page counts from 1, not " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw HubException.invalid("size is between 1 and " + MAX_SIZE + ", not " + size);
        }
        text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        namespace = namespace == null || namespace.isBlank() ? null : namespace.strip();
    }

    long offset() {
        return (long) (page - 1) * size;
    }
}
