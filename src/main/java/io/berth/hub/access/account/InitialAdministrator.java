package io.berth.hub.access.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.berth.common.BerthProperties;
import io.berth.common.error.ErrorKind;
import io.berth.hub.HubException;
import io.berth.hub.HubProperties;

/**
 * On a first start, with no administrator yet, creates {@code admin}: with the configured password, or with a
 * generated one that is written once to the log and to a file only the Hub's user can read. It runs once the beans
 * exist (the database is migrated by then) and before the web server starts, so that no client can try to sign in
 * as {@code admin} before the account is there.
 */
@Component
class InitialAdministrator implements SmartInitializingSingleton {

    static final String USERNAME = "admin";
    static final String PASSWORD_FILE = "initial-admin-password";

    private static final Logger log = LoggerFactory.getLogger(InitialAdministrator.class);

    private final Accounts accounts;
    private final AccountService service;
    private final HubProperties hub;
    private final BerthProperties berth;

    InitialAdministrator(Accounts accounts, AccountService service, HubProperties hub, BerthProperties berth) {
        this.accounts = accounts;
        this.service = service;
        this.hub = hub;
        this.berth = berth;
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            createIfNone();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial administrator's password", e);
        }
    }

    private void createIfNone() throws IOException {
        if (accounts.existsByAdministratorTrue()) {
            return;
        }
        String configured = hub.initialAdminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? generatePassword() : configured;
        try {
            service.createUser(USERNAME, "admin@localhost", password, true);
        } catch (HubException e) {
            if (e.kind() != ErrorKind.CONFLICT) {
                throw e;
            }
            // Another replica starting on the same database created it a moment ago, or a user took the name
            // before any administrator existed: either way there is nothing to create here.
            log.warn("Did not create the administrator '{}': {}", USERNAME, e.getMessage());
            return;
        }
        if (generated) {
            Path file = berth.dataDir().resolve(PASSWORD_FILE);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            log.warn("Created the administrator '{}' with the generated password {} (also in {}); change it after signing in",
                    USERNAME, password, file);
        } else {
            log.info("Created the administrator '{}' with the password from berth.hub.initial-admin-password", USERNAME);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
