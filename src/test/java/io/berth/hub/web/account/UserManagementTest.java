package io.berth.hub.web.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.SignIn;
import io.berth.hub.access.account.AccountEntity;
import io.berth.hub.access.account.AccountService;
import io.berth.hub.access.account.Memberships;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.audit.AuditLog;

/**
 * Who may sign up, with sign-up open and closed: the integration tests run with it open, so the closed case is here.
 */
class UserManagementTest {

    private static final Caller ADMINISTRATOR = new Caller(1L, "admin", true, Map.of(), null, null, 0);
    private static final Caller ALICE = new Caller(2L, "alice", false, Map.of(), null, null, 0);

    private final AccountService accounts = mock(AccountService.class);
    private final HubProperties hub = mock(HubProperties.class);
    private final UserManagement users = new UserManagement(accounts, mock(Memberships.class), mock(SignIn.class), hub,
            mock(AuditLog.class));

    @BeforeEach
    void accountsAreCreated() {
        AccountEntity account = mock(AccountEntity.class);
        when(account.getUsername()).thenReturn("bob");
        when(accounts.createUser(anyString(), anyString(), anyString(), anyBoolean())).thenReturn(account);
    }

    @Test
    void closedSignUpRefusesEveryoneButAdministrators() {
        when(hub.signUpEnabled()).thenReturn(false);

        assertRefused(() -> users.signUp(Caller.ANONYMOUS, "192.0.2.1", "bob", "bob@example.com", "password1", false));
        assertRefused(() -> users.signUp(ALICE, "192.0.2.1", "bob", "bob@example.com", "password1", false));
        verify(accounts, never()).createUser(any(), any(), any(), anyBoolean());

        assertThat(users.signUp(ADMINISTRATOR, "192.0.2.1", "bob", "bob@example.com", "password1", true).username())
                .isEqualTo("bob");
        verify(accounts).createUser("bob", "bob@example.com", "password1", true);
    }

    @Test
    void openSignUpStillMakesNoAdministrators() {
        when(hub.signUpEnabled()).thenReturn(true);

        assertRefused(() -> users.signUp(Caller.ANONYMOUS, "192.0.2.1", "bob", "bob@example.com", "password1", true));

        users.signUp(Caller.ANONYMOUS, "192.0.2.1", "bob", "bob@example.com", "password1", false);
        verify(accounts).createUser("bob", "bob@example.com", "password1", false);
    }

    @Test
    void anAdministratorsTokensCreateNoAccounts() {
        Caller withReadToken = ADMINISTRATOR.withTokenActions(Set.of("pull"), 7L);
        Caller withEveryScope = ADMINISTRATOR.withTokenActions(Set.of("pull", "push", "delete"), 8L);

        assertRefused(() -> users.signUp(withReadToken, "192.0.2.1", "bob", "bob@example.com", "password1", false));
        assertRefused(() -> users.signUp(withEveryScope, "192.0.2.1", "bob", "bob@example.com", "password1", true));
        verify(accounts, never()).createUser(any(), any(), any(), anyBoolean());
    }

    private static void assertRefused(Runnable signUp) {
        assertThatThrownBy(signUp::run).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.DENIED));
    }
}
