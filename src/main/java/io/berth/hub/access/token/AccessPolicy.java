package io.berth.hub.access.token;

import java.util.Set;

/**
 * What one subject (a user, or the anonymous client) may do: the actions allowed on a resource. Accounts and their
 * permissions implement it; the token protocol only asks it.
 */
@FunctionalInterface
public interface AccessPolicy {

    /**
     * The actions the subject may perform on the resource; empty (or null) for none, including for a resource type
     * the policy does not know. {@code *} allows whatever action is asked.
     */
    Set<String> allowedActions(String type, String name);
}
