package io.berth.hub.access.account;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.access.caller.RepositoryRole;
import io.berth.hub.metadata.Repositories;

/**
 * Users, organisations, teams and memberships. Every change takes the {@link Caller} and decides itself whether the
 * caller may make it: a user manages itself, an organisation's owners manage it, administrators manage everything.
 */
@Service
public class AccountService {

    /** NIST SP 800-63B's floor for passwords chosen by users. */
    static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 128;

    private final Accounts accounts;
    private final Organisations organisations;
    private final Teams teams;
    private final NamespaceRows namespaces;
    private final Memberships memberships;
    private final AccessTokenRows tokens;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;
    private final Repositories repositories;
    private final Clock clock;

    AccountService(Accounts accounts, Organisations organisations, Teams teams, NamespaceRows namespaces,
                   Memberships memberships, AccessTokenRows tokens, PasswordEncoder passwords,
                   ApplicationEventPublisher events, Repositories repositories, Clock clock) {
        this.repositories = repositories;
        this.accounts = accounts;
        this.organisations = organisations;
        this.teams = teams;
        this.namespaces = namespaces;
        this.memberships = memberships;
        this.tokens = tokens;
        this.passwords = passwords;
        this.events = events;
        this.clock = clock;
    }

    // ---- users

    @Transactional
    public AccountEntity createUser(String username, String email, String password, boolean administrator) {
        AccountNames.requireNamespaceName(username);
        requireEmail(email);
        requirePassword(password);
        claimNamespace(username, NamespaceEntity.Kind.USER, false);
        return accounts.save(new AccountEntity(username, email, passwords.encode(password), administrator, clock.instant()));
    }

    @Transactional(readOnly = true)
    public AccountEntity user(String username) {
        return accounts.findByUsername(username).orElseThrow(() -> HubException.notFound("no such user: " + username));
    }

    @Transactional(readOnly = true)
    public List<AccountEntity> users() {
        return accounts.findAllByOrderByUsername();
    }

    @Transactional
    public AccountEntity updateUser(Caller caller, String username, String email, String password, Boolean administrator) {
        AccountEntity account = user(username);
        requireSelfOrAdministrator(caller, account);
        if (email != null) {
            account.setEmail(requireEmail(email));
        }
        if (password != null) {
            // A new credentials version ends the account's browser sessions and the docker logins made with the old
            // password (whoever held it may hold those too); personal access tokens are credentials of their own.
            account.changePassword(passwords.encode(requirePassword(password)));
            tokens.revokePasswordRefreshTokens(account.getId(), clock.instant());
        }
        if (administrator != null && administrator != account.isAdministrator()) {
            if (!caller.administrator()) {
                throw HubException.forbidden("only administrators make administrators");
            }
            if (!administrator && account.getId().equals(caller.accountId())) {
                throw HubException.conflict("an administrator cannot step down on their own; another administrator can");
            }
            account.setAdministrator(administrator);
        }
        return account;
    }

    @Transactional
    public void deleteUser(Caller caller, String username) {
        AccountEntity account = user(username);
        requireSelfOrAdministrator(caller, account);
        for (String organisation : memberships.organisationsOf(account.getId())) {
            OrganisationEntity org = organisation(organisation);
            if (memberships.isOwner(org.getId(), account.getId()) && memberships.ownerCount(org.getId()) == 1) {
                throw HubException.conflict(username + " is the last owner of " + organisation
                        + ": add another owner or delete the organisation first");
            }
        }
        if (account.isAdministrator() && accounts.countByAdministratorTrue() == 1) {
            throw HubException.conflict(username + " is the last administrator: make another administrator first");
        }
        events.publishEvent(new NamespaceDeleted(username));
        accounts.delete(account); // its memberships, stars and tokens go with it (ON DELETE CASCADE)
        retire(username);
    }

    // ---- organisations

    @Transactional
    public OrganisationEntity createOrganisation(Caller caller, String name, String description) {
        requireSignedIn(caller);
        AccountNames.requireNamespaceName(name);
        claimNamespace(name, NamespaceEntity.Kind.ORGANISATION, caller.administrator());
        OrganisationEntity organisation = organisations.save(
                new OrganisationEntity(name, description == null ? "" : description, clock.instant()));
        memberships.addOwner(organisation.getId(), caller.accountId());
        return organisation;
    }

    @Transactional(readOnly = true)
    public OrganisationEntity organisation(String name) {
        return organisations.findByName(name).orElseThrow(() -> HubException.notFound("no such organisation: " + name));
    }

    @Transactional(readOnly = true)
    public List<OrganisationEntity> organisations() {
        return organisations.findAllByOrderByName();
    }

    @Transactional
    public OrganisationEntity updateOrganisation(Caller caller, String name, String description) {
        OrganisationEntity organisation = organisation(name);
        requireOwner(caller, organisation);
        if (description != null) {
            organisation.setDescription(description);
        }
        return organisation;
    }

    @Transactional
    public void deleteOrganisation(Caller caller, String name) {
        OrganisationEntity organisation = organisation(name);
        requireOwner(caller, organisation);
        events.publishEvent(new NamespaceDeleted(name));
        organisations.delete(organisation); // teams and memberships cascade
        retire(name);
    }

    /** @return false when the user owned the organisation already */
    @Transactional
    public boolean addOwner(Caller caller, String organisationName, String username) {
        OrganisationEntity organisation = organisation(organisationName);
        requireOwner(caller, organisation);
        return memberships.addOwner(organisation.getId(), user(username).getId());
    }

    @Transactional
    public void removeOwner(Caller caller, String organisationName, String username) {
        OrganisationEntity organisation = organisation(organisationName);
        requireOwner(caller, organisation);
        AccountEntity account = user(username);
        if (!memberships.isOwner(organisation.getId(), account.getId())) {
            throw HubException.notFound(username + " is not an owner of " + organisationName);
        }
        if (memberships.ownerCount(organisation.getId()) == 1) {
            throw HubException.conflict("an organisation keeps at least one owner");
        }
        memberships.removeOwner(organisation.getId(), account.getId());
    }

    // ---- teams

    @Transactional
    public TeamEntity createTeam(Caller caller, String organisationName, String teamName, String description,
                                 RepositoryRole permission) {
        OrganisationEntity organisation = organisation(organisationName);
        requireOwner(caller, organisation);
        AccountNames.requireTeamName(teamName);
        if (permission == null || permission == RepositoryRole.NONE) {
            throw HubException.invalid("a team's permission is read, write or admin");
        }
        if (teams.findByOrganisationIdAndName(organisation.getId(), teamName).isPresent()) {
            throw HubException.conflict("team " + organisationName + "/" + teamName + " exists");
        }
        try {
            return teams.saveAndFlush(new TeamEntity(organisation.getId(), teamName, description == null ? "" : description,
                    permission, clock.instant()));
        } catch (DataIntegrityViolationException e) {
            throw HubException.conflict("team " + organisationName + "/" + teamName + " exists");
        }
    }

    @Transactional(readOnly = true)
    public TeamEntity team(String organisationName, String teamName) {
        OrganisationEntity organisation = organisation(organisationName);
        return teams.findByOrganisationIdAndName(organisation.getId(), teamName)
                .orElseThrow(() -> HubException.notFound("no such team: " + organisationName + "/" + teamName));
    }

    @Transactional(readOnly = true)
    public List<TeamEntity> teams(String organisationName) {
        return teams.findByOrganisationIdOrderByName(organisation(organisationName).getId());
    }

    @Transactional
    public TeamEntity updateTeam(Caller caller, String organisationName, String teamName, String description,
                                 RepositoryRole permission) {
        TeamEntity team = team(organisationName, teamName);
        requireOwner(caller, organisation(organisationName));
        if (description != null) {
            team.setDescription(description);
        }
        if (permission != null) {
            if (permission == RepositoryRole.NONE) {
                throw HubException.invalid("a team's permission is read, write or admin");
            }
            team.setPermission(permission);
        }
        return team;
    }

    @Transactional
    public void deleteTeam(Caller caller, String organisationName, String teamName) {
        TeamEntity team = team(organisationName, teamName);
        requireOwner(caller, organisation(organisationName));
        teams.delete(team);
    }

    @Transactional
    public boolean addMember(Caller caller, String organisationName, String teamName, String username) {
        TeamEntity team = team(organisationName, teamName);
        requireOwner(caller, organisation(organisationName));
        return memberships.addMember(team.getId(), user(username).getId());
    }

    @Transactional
    public void removeMember(Caller caller, String organisationName, String teamName, String username) {
        TeamEntity team = team(organisationName, teamName);
        requireOwner(caller, organisation(organisationName));
        if (!memberships.removeMember(team.getId(), user(username).getId())) {
            throw HubException.notFound(username + " is not on team " + organisationName + "/" + teamName);
        }
    }

    // ---- checks

    /** Owners of the organisation and administrators pass; anyone else is refused. */
    public void requireOwner(Caller caller, OrganisationEntity organisation) {
        requireSignedIn(caller);
        if (!caller.administrator() && !memberships.isOwner(organisation.getId(), caller.accountId())) {
            throw HubException.forbidden("only owners of " + organisation.getName() + " may do that");
        }
    }

    private static void requireSelfOrAdministrator(Caller caller, AccountEntity account) {
        requireSignedIn(caller);
        if (!caller.administrator() && !account.getId().equals(caller.accountId())) {
            throw HubException.forbidden("only " + account.getUsername() + " or an administrator may do that");
        }
    }

    private static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new HubException(ErrorKind.UNAUTHORIZED, "sign in first");
        }
    }

    /**
     * Takes a name for a user or an organisation. Repositories may already live under a name nobody holds (pushed
     * before accounts existed, or left by a deleted namespace whose repositories were kept): whoever took the name
     * would own them, so only an administrator may, by making it an organisation and choosing its owners.
     */
    private void claimNamespace(String name, NamespaceEntity.Kind kind, boolean mayAdoptRepositories) {
        if (namespaces.findById(name).filter(NamespaceEntity::retired).isPresent()) {
            throw HubException.conflict("the name " + name + " belonged to a deleted account or organisation;"
                    + " names are not given out again");
        }
        if (namespaces.existsById(name) || (!mayAdoptRepositories && repositories.existsByNamespace(name))) {
            throw HubException.conflict("the name " + name + " is taken");
        }
        try {
            namespaces.saveAndFlush(new NamespaceEntity(name, kind, clock.instant()));
        } catch (DataIntegrityViolationException e) {
            throw HubException.conflict("the name " + name + " is taken");
        }
    }

    /**
     * Keeps a deleted user's or organisation's name from being taken again, as Docker Hub does: whoever took it would
     * inherit the pulls of scripts and Dockerfiles that name its repositories, and the trust of everyone who knew it.
     */
    private void retire(String name) {
        namespaces.findById(name).ifPresent(namespace -> namespace.retire(clock.instant()));
        namespaces.flush();
    }

    private static String requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw HubException.invalid("a password has " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
        }
        return password;
    }

    private static String requireEmail(String email) {
        if (email == null || email.length() > 320 || !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw HubException.invalid("not an e-mail address: " + email);
        }
        return email;
    }
}
