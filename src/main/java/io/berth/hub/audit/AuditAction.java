package io.berth.hub.audit;

/** What a security event was; its wire name is what the table stores and the admin API shows. */
public enum AuditAction {

    LOGIN("login"),
    LOGIN_FAILED("login.failed"),
    TOKEN_CREATED("token.created"),
    TOKEN_REVOKED("token.revoked"),
    PUSH("push"),
    DELETE("delete"),
    REPOSITORY_CREATED("repository.created"),
    REPOSITORY_DELETED("repository.deleted"),
    VISIBILITY_CHANGED("visibility.changed"),
    MEMBERSHIP_CHANGED("membership.changed"),
    ACCOUNT_CREATED("account.created"),
    ACCOUNT_CHANGED("account.changed"),
    ACCOUNT_DELETED("account.deleted"),
    ORGANISATION_CREATED("organisation.created"),
    ORGANISATION_DELETED("organisation.deleted"),
    TEAM_CHANGED("team.changed"),
    GC_RUN("gc.run"),
    THROTTLED("login.throttled");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
