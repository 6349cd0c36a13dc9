package io.berth.hub.metadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Storage used per namespace and in total, summed by the database (aggregates over the metadata, never a walk of the
 * blob store): a namespace uses the distinct blobs its repositories link, so a blob shared by two namespaces counts in
 * each, while the total counts every stored blob once.
 */
@Service
public class StorageUsage {

    private static final Comparator<NamespaceStorage> LARGEST_FIRST = Comparator
            .comparingLong(NamespaceStorage::blobBytes).reversed()
            .thenComparing(NamespaceStorage::namespace);

    private final EntityManager entities;

    StorageUsage(EntityManager entities) {
        this.entities = entities;
    }

    /** Every namespace that has a repository, the largest (in blob bytes) first. */
    @Transactional(readOnly = true)
    public List<NamespaceStorage> byNamespace() {
        Map<String, long[]> blobs = sums("""
                select t.namespace, count(t.digest), sum(t.size) from (
                    select distinct r.namespace as namespace, b.digest as digest, b.size as size
                    from RepositoryEntity r, BlobLinkEntity l, BlobEntity b
                    where l.key.repositoryId = r.id and b.digest = l.key.digest) t
                group by t.namespace""");
        Map<String, long[]> manifests = sums("""
                select r.namespace, count(m), sum(m.size) from ManifestEntity m, RepositoryEntity r
                where m.repositoryId = r.id
                group by r.namespace""");
        Map<String, long[]> repositories = sums("""
                select r.namespace, count(r), 0L from RepositoryEntity r group by r.namespace""");
        List<NamespaceStorage> usage = new ArrayList<>();
        repositories.forEach((namespace, counts) -> {
            long[] blob = blobs.getOrDefault(namespace, new long[2]);
            long[] manifest = manifests.getOrDefault(namespace, new long[2]);
            usage.add(new NamespaceStorage(namespace, counts[0], blob[0], blob[1], manifest[0], manifest[1]));
        });
        usage.sort(LARGEST_FIRST);
        return usage;
    }

    @Transactional(readOnly = true)
    public StoredTotal total() {
        long[] blobs = sum("select count(b), coalesce(sum(b.size), 0) from BlobEntity b");
        long[] unlinked = sum("""
                select count(b), coalesce(sum(b.size), 0) from BlobEntity b
                where not exists (select 1 from BlobLinkEntity l where l.key.digest = b.digest)""");
        long[] manifests = sum("select count(m), coalesce(sum(m.size), 0) from ManifestEntity m");
        return new StoredTotal(blobs[0], blobs[1], unlinked[0], unlinked[1], manifests[0], manifests[1]);
    }

    /** Rows of (namespace, count, bytes) by namespace. */
    private Map<String, long[]> sums(String query) {
        Map<String, long[]> sums = new HashMap<>();
        for (Object[] row : entities.createQuery(query, Object[].class).getResultList()) {
            sums.put((String) row[0], new long[] {number(row[1]), number(row[2])});
        }
        return sums;
    }

    private long[] sum(String query) {
        Object[] row = entities.createQuery(query, Object[].class).getSingleResult();
        return new long[] {number(row[0]), number(row[1])};
    }

    // count() is a Long; sum() of a long column a Long on Hibernate, but databases differ in what they hand back.
    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
