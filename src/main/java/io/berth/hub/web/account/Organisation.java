package io.berth.hub.web.account;

import java.time.Instant;

import io.berth.hub.access.account.OrganisationEntity;

/** An organisation; names and descriptions are public, as on Docker Hub. */
record Organisation(String name, String description, Instant createdAt) {

    static Organisation of(OrganisationEntity organisation) {
        return new Organisation(organisation.getName(), organisation.getDescription(), organisation.getCreatedAt());
    }
}
