package io.berth.hub.web.account;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.berth.hub.access.account.AccountEntity;

/**
 * A user as anyone sees it: user names are public, as on Docker Hub. The e-mail address and whether the user is an
 * administrator are shown to the user and to administrators only, and left out for everyone else.
 */
record Profile(String username, Instant createdAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String email,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean administrator) {

    static Profile everyone(AccountEntity account) {
        return new Profile(account.getUsername(), account.getCreatedAt(), null, null);
    }

    static Profile full(AccountEntity account) {
        return new Profile(account.getUsername(), account.getCreatedAt(), account.getEmail(), account.isAdministrator());
    }
}
