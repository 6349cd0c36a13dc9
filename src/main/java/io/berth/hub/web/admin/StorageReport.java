package io.berth.hub.web.admin;

import java.util.List;

import io.berth.hub.metadata.NamespaceStorage;
import io.berth.hub.metadata.StoredTotal;

/** Storage per namespace, the largest first, and in total. */
record StorageReport(List<NamespaceStorage> namespaces, StoredTotal total) {
}
