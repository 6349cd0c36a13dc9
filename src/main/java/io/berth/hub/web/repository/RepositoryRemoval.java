package io.berth.hub.web.repository;

import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.berth.hub.access.account.NamespaceDeleted;
import io.berth.hub.metadata.RepositoryDeleted;

/**
 * Deletes repository rows: one at a time through the API, or all of a namespace when its user or organisation is
 * deleted. The database takes manifests, tags, blob links, uploads and stars with the row (ON DELETE CASCADE); blobs
 * no repository links any more are the garbage collector's. Each deletion is announced, so that the registry forgets
 * the id it may have cached and a later push of the same name creates the repository afresh.
 */
@Component
class RepositoryRemoval {

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    RepositoryRemoval(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** @return whether there was such a repository to delete */
    boolean delete(long repositoryId, String name) {
        boolean deleted = jdbc.update("DELETE FROM repository WHERE id = ?", repositoryId) == 1;
        if (deleted) {
            events.publishEvent(new RepositoryDeleted(name));
        }
        return deleted;
    }

    /** In the transaction that deletes the user or organisation: both go, or neither. */
    @EventListener
    void namespaceDeleted(NamespaceDeleted deleted) {
        List<String> names = jdbc.queryForList("SELECT name FROM repository WHERE namespace = ?", String.class,
                deleted.namespace());
        jdbc.update("DELETE FROM repository WHERE namespace = ?", deleted.namespace());
        names.forEach(name -> events.publishEvent(new RepositoryDeleted(name)));
    }
}
