package io.berth.hub.access.account;

/**
 * A token just created, with its secret: the only time anyone sees it.
 *
 * @param token  the stored token
 * @param secret what the owner uses as a password or bearer token
 */
public record CreatedToken(AccessTokenEntity token, String secret) {
}
