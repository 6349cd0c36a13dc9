package io.berth.hub.access.account;

import java.util.Set;
import java.util.regex.Pattern;

import io.berth.hub.HubException;
import io.berth.hub.metadata.Namespaces;

/**
 * What a user, organisation or team may be called. User and organisation names are the first segment of repository
 * names, so they follow the Distribution grammar of a path component, lower case; the length limit keeps them
 * readable in a {@code docker pull} line.
 */
final class AccountNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final int MAX_LENGTH = 64;
    private static final Set<String> RESERVED = Set.of(Namespaces.LIBRARY);

    private AccountNames() {
    }

    static String requireNamespaceName(String name) {
        requireName("name", name);
        if (RESERVED.contains(name)) {
            throw HubException.conflict("the name " + name + " is reserved");
        }
        return name;
    }

    static String requireTeamName(String name) {
        return requireName("team name", name);
    }

    private static String requireName(String what, String name) {
        if (name == null || name.length() < 2 || name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
            throw HubException.invalid("a " + what + " is 2 to " + MAX_LENGTH
                    + " lower-case letters and digits, separated by '.', '_' or '-': " + name);
        }
        return name;
    }
}
