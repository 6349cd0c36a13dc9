package io.berth.hub.access.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One entry of a token's {@code access} claim: the actions granted on a resource. An entry may have no actions at
 * all: the spec puts the intersection of what was asked and what is allowed in the token, and for a resource the
 * subject may not touch that intersection is {@code []}.
 *
 * @param type    the resource type, without a class
 * @param name    the resource name
 * @param actions the granted actions, in order, without repeats
 */
public record Access(String type, String name, List<String> actions) {

    /** The action that stands for every action on a resource, as the reference registry reads it. */
    public static final String ANY_ACTION = "*";

    public Access {
        if (type == null || type.isEmpty() || name == null || name.isEmpty() || actions == null) {
            throw new IllegalArgumentException("an access entry needs a type, a name and a list of actions");
        }
        actions = List.copyOf(new LinkedHashSet<>(actions));
    }

    /** Whether this entry allows the action on the resource; {@code *} allows every action. */
    public boolean permits(String type, String name, String action) {
        return this.type.equals(type) && this.name.equals(name)
                && (actions.contains(action) || actions.contains(ANY_ACTION));
    }

    /** The claim's JSON shape, {@code {"type":..,"name":..,"actions":[..]}}, for the JWT library to write. */
    Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("type", type);
        claim.put("name", name);
        claim.put("actions", actions);
        return claim;
    }

    /**
     * Reads an entry back from a claim the JWT library parsed. A {@code class} member, which older issuers wrote,
     * is ignored: the spec deprecates classes and authorizes as if there were none.
     *
     * @throws IllegalArgumentException if the entry is not of the claim's shape
     */
    static Access fromClaim(Object claim) {
        if (!(claim instanceof Map<?, ?> map)
                || !(map.get("type") instanceof String type)
                || !(map.get("name") instanceof String name)) {
            throw new IllegalArgumentException("access entry without a type and a name: " + claim);
        }
        Object rawActions = map.get("actions");
        List<String> actions = new ArrayList<>();
        if (rawActions instanceof List<?> list) {
            for (Object action : list) {
                if (!(action instanceof String string)) {
                    throw new IllegalArgumentException("access entry with a non-string action: " + claim);
                }
                actions.add(string);
            }
        } else if (rawActions != null) {
            throw new IllegalArgumentException("access entry whose actions are not a list: " + claim);
        }
        return new Access(type, name, actions);
    }
}
