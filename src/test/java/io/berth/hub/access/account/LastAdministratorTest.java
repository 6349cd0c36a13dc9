package io.berth.hub.access.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;

import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.metadata.Repositories;

/**
 * The Hub keeps an administrator: the last one cannot be deleted, since deleted names are retired and nobody could
 * take {@code admin} again to administer the Hub. (The shared integration context has several administrators, so this
 * is checked here, on the service alone.)
 */
class LastAdministratorTest {

    private final Accounts accounts = mock(Accounts.class);
    private final NamespaceRows namespaces = mock(NamespaceRows.class);
    private final ApplicationEventPublisher events = mock(ApplicationEventPublisher.class);
    private final Memberships memberships = mock(Memberships.class);
    private final AccountService service = new AccountService(accounts, mock(Organisations.class), mock(Teams.class),
            namespaces, memberships, mock(AccessTokenRows.class), NoOpPasswordEncoder.getInstance(), events,
            mock(Repositories.class), Clock.systemUTC());

    @Test
    void theLastAdministratorIsNotDeleted() {
        administratorRoot(1);
        Caller self = new Caller(7L, "root", true, Map.of(), null, null, 0);

        assertThatThrownBy(() -> service.deleteUser(self, "root")).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        verify(accounts, never()).delete(any());
        verify(events, never()).publishEvent(any());
    }

    @Test
    void anAdministratorIsDeletedWhileAnotherRemainsAndTheNameIsRetired() {
        AccountEntity root = administratorRoot(2);
        NamespaceEntity name = new NamespaceEntity("root", NamespaceEntity.Kind.USER, Instant.EPOCH);
        when(namespaces.findById("root")).thenReturn(Optional.of(name));

        service.deleteUser(new Caller(8L, "other", true, Map.of(), null, null, 0), "root");

        verify(accounts).delete(root);
        assertThat(name.retired()).isTrue();
    }

    /** The administrator {@code root} (id 7, in no organisation), one of {@code administrators}. */
    private AccountEntity administratorRoot(long administrators) {
        AccountEntity root = mock(AccountEntity.class);
        when(root.getId()).thenReturn(7L);
        when(root.getUsername()).thenReturn("root");
        when(root.isAdministrator()).thenReturn(true);
        when(accounts.findByUsername("root")).thenReturn(Optional.of(root));
        when(accounts.countByAdministratorTrue()).thenReturn(administrators);
        when(memberships.organisationsOf(7L)).thenReturn(List.of());
        return root;
    }
}
