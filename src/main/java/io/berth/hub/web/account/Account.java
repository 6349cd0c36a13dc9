package io.berth.hub.web.account;

import java.time.Instant;
import java.util.List;

import io.berth.hub.access.account.AccountEntity;

/**
 * A user as the user (or an administrator) sees it.
 *
 * @param organisations names of the organisations the user owns or is on a team of
 */
record Account(String username, String email, boolean administrator, Instant createdAt, List<String> organisations) {

    static Account of(AccountEntity account, List<String> organisations) {
        return new Account(account.getUsername(), account.getEmail(), account.isAdministrator(), account.getCreatedAt(),
                List.copyOf(organisations));
    }
}
