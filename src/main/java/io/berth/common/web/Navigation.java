package io.berth.common.web;

import java.util.Comparator;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;


/**
 * The web UI's navigation bar, as the layout template reads it ({@code ${@navigation.links()}}), and who is looking: every
 * {@link NavigationLink} bean of the application, so that a page of the Engine or of the dashboard appears when its
 * role runs and is gone when it does not.
 */
@Component("navigation")
public class Navigation {

    private final List<NavigationLink> links;
    private final boolean accounts;

    Navigation(ObjectProvider<NavigationLink> links, @Value("${berth.hub.enabled:true}") boolean hub) {
        this.links = links.orderedStream().sorted(Comparator.comparingInt(NavigationLink::order)).toList();
        this.accounts = hub;
    }

    /** Whether people sign in here: only where the Hub runs (an Engine-only node shows error pages, nothing else). */
    public boolean accounts() {
        return accounts;
    }

    /** The links the viewer of the page being rendered may open. */
    public List<NavigationLink> links() {
        boolean administrator = administrator();
        return links.stream().filter(link -> administrator || !link.administratorsOnly()).toList();
    }

    /** The signed-in viewer's username, or null. */
    public String viewer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication instanceof AnonymousAuthenticationToken
                ? null : authentication.getName();
    }

    public boolean administrator() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return viewer() != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()));
    }
}
