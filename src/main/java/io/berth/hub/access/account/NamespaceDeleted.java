package io.berth.hub.access.account;

/**
 * Published, inside the deleting transaction, when a user or an organisation is deleted: its repositories go with it.
 *
 * @param namespace the user's or organisation's name
 */
public record NamespaceDeleted(String namespace) {
}
