package io.berth.hub.web.admin;

import java.time.Instant;

import io.berth.hub.access.account.AccountEntity;

/** A user in the administrators' list of accounts. */
record AdminUser(String username, String email, boolean administrator, Instant createdAt) {

    static AdminUser of(AccountEntity account) {
        return new AdminUser(account.getUsername(), account.getEmail(), account.isAdministrator(), account.getCreatedAt());
    }
}
