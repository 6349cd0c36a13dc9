package io.berth.hub.access;

import java.util.Collection;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

import io.berth.hub.access.caller.Caller;

/**
 * Who a request comes from, as Spring Security's authentication of it, once one of the Hub's own filters has checked
 * the credentials: the subject of a registry token, or the {@link Caller} of a REST request.
 */
final class PrincipalAuthentication extends AbstractAuthenticationToken {

    private final Object principal;
    private final String name;

    PrincipalAuthentication(Object principal, String name, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = principal;
        this.name = name;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return name;
    }
}
