package io.berth.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The audit log against a real database: an in-memory H2 migrated by the project's Flyway migrations, with the JPA
 * mapping validated against them, and the transactions Spring Boot sets up in the application.
 */
class AuditLogTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    private final SteppingClock clock = new SteppingClock(START);

    // Only the persistence auto-configurations, and no component scan: this test's classes stay out of the
    // application context that other tests start from the same classpath.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
                    TransactionAutoConfiguration.class))
            .withInitializer(context -> AutoConfigurationPackages.register((BeanDefinitionRegistry) context,
                    AuditLog.class.getPackageName()))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:audit-" + UUID.randomUUID(),
                    "spring.jpa.hibernate.ddl-auto=validate")
            .withBean(Clock.class, () -> clock)
            .withUserConfiguration(AuditLog.class);

    private final ListAppender<ILoggingEvent> trail = new ListAppender<>();
    private final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        attach("berth.audit", trail);
        attach(AuditLog.class.getName(), errors);
    }

    @AfterEach
    void releaseLogs() {
        logger("berth.audit").detachAppender(trail);
        logger(AuditLog.class.getName()).detachAppender(errors);
    }

    @Test
    void eventsComeBackNewestFirstWithEveryField() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);
            audit.record("alice", "192.0.2.1", AuditAction.LOGIN, null, true, null);
            audit.record(null, "192.0.2.2", AuditAction.LOGIN_FAILED, "token:ci", false, "bad token");
            audit.record("alice", "192.0.2.1", AuditAction.PUSH, "acme/api:1.0@sha256:abc", true, "3 layers");

            List<AuditEvent> events = audit.recent(10, null, null, null);

            assertThat(events).extracting(AuditEvent::action).containsExactly("push", "login.failed", "login");
            assertThat(events.get(0).id()).isGreaterThan(events.get(1).id());
            assertThat(events.get(1).id()).isGreaterThan(events.get(2).id());
            assertThat(events.get(0)).isEqualTo(new AuditEvent(events.get(0).id(), START.plusSeconds(2), "alice",
                    "192.0.2.1", "push", "acme/api:1.0@sha256:abc", "success", "3 layers"));
            assertThat(events.get(1)).isEqualTo(new AuditEvent(events.get(1).id(), START.plusSeconds(1), null,
                    "192.0.2.2", "login.failed", "token:ci", "failure", "bad token"));
            assertThat(events.get(2)).isEqualTo(new AuditEvent(events.get(2).id(), START, "alice", "192.0.2.1",
                    "login", null, "success", null));
        });
    }

    @Test
    void eventsAreFilteredByActorAndAction() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);
            audit.record("alice", null, AuditAction.LOGIN, null, true, null);
            audit.record("bob", null, AuditAction.LOGIN_FAILED, null, false, null);
            audit.record("alice", null, AuditAction.LOGIN_FAILED, null, false, null);
            audit.record("bob", null, AuditAction.TOKEN_CREATED, "token:ci", true, null);

            assertThat(audit.recent(10, null, "alice", null))
                    .extracting(AuditEvent::action).containsExactly("login.failed", "login");
            assertThat(audit.recent(10, null, null, "login.failed"))
                    .extracting(AuditEvent::actor).containsExactly("alice", "bob");
            assertThat(audit.recent(10, null, "bob", "token.created"))
                    .extracting(AuditEvent::target).containsExactly("token:ci");
            assertThat(audit.recent(10, null, "carol", null)).isEmpty();
            assertThat(audit.recent(10, null, "", " ")).as("blank filters are no filters").hasSize(4);
        });
    }

    @Test
    void pagesFollowEachOtherByTheLastId() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);
            for (int i = 1; i <= 5; i++) {
                audit.record("alice", null, AuditAction.PUSH, "acme/api:" + i, true, null);
            }

            List<AuditEvent> first = audit.recent(2, null, null, null);
            List<AuditEvent> second = audit.recent(2, first.get(1).id(), null, null);
            List<AuditEvent> third = audit.recent(2, second.get(1).id(), null, null);

            assertThat(first).extracting(AuditEvent::target).containsExactly("acme/api:5", "acme/api:4");
            assertThat(second).extracting(AuditEvent::target).containsExactly("acme/api:3", "acme/api:2");
            assertThat(third).extracting(AuditEvent::target).containsExactly("acme/api:1");
            assertThat(audit.recent(2, third.get(0).id(), null, null)).isEmpty();
            assertThat(audit.recent(2, second.get(1).id(), "alice", "push"))
                    .as("filters and paging together").extracting(AuditEvent::target).containsExactly("acme/api:1");
        });
    }

    @Test
    void theLimitIsKeptBetweenOneAndAThousand() {
        withAuditLog(context -> {
            AuditEvents rows = context.getBean(AuditEvents.class);
            List<AuditEventEntity> many = new ArrayList<>();
            for (int i = 0; i < AuditLog.MAX_LIMIT + 5; i++) {
                many.add(new AuditEventEntity(START, "alice", null, "push", null, "success", null));
            }
            rows.saveAll(many);
            AuditLog audit = context.getBean(AuditLog.class);

            assertThat(audit.recent(Integer.MAX_VALUE, null, null, null)).hasSize(AuditLog.MAX_LIMIT);
            assertThat(audit.recent(0, null, null, null)).hasSize(1);
        });
    }

    @Test
    void overLongValuesAreCutToTheirColumns() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);
            String detail = "d".repeat(2000);
            String target = "t".repeat(600);
            String actor = "a".repeat(300);
            String address = "1".repeat(100);

            audit.record(actor, address, AuditAction.DELETE, target, true, detail);

            AuditEvent event = audit.recent(1, null, null, null).get(0);
            assertThat(event.detail()).isEqualTo(detail.substring(0, 1000));
            assertThat(event.target()).isEqualTo(target.substring(0, 512));
            assertThat(event.actor()).isEqualTo(actor.substring(0, 255));
            assertThat(event.clientAddress()).isEqualTo(address.substring(0, 64));
            assertThat(errors.list).isEmpty();
        });
    }

    @Test
    void aCutNeverSplitsASurrogatePairAndNulCharactersAreReplaced() {
        assertThat(AuditLog.fit("a".repeat(999) + "\uD83D\uDE00", 1000)).isEqualTo("a".repeat(999));
        assertThat(AuditLog.fit("eve\u0000", 255)).isEqualTo("eve\uFFFD");
        assertThat(AuditLog.fit(null, 10)).isNull();
    }

    @Test
    void anEventStaysOnRecordWhenTheCallersTransactionRollsBack() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);
            AuditEvents rows = context.getBean(AuditEvents.class);
            TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));

            assertThatThrownBy(() -> outer.executeWithoutResult(status -> {
                rows.save(new AuditEventEntity(START, "outer", null, "push", null, "success", null));
                audit.record("mallory", "203.0.113.5", AuditAction.LOGIN_FAILED, null, false, "wrong password");
                throw new IllegalStateException("the request fails after recording");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(audit.recent(10, null, null, null))
                    .as("the caller's own write rolled back, the audit event did not")
                    .extracting(AuditEvent::actor).containsExactly("mallory");
        });
    }

    @Test
    void eachEventIsOneLineOfTheAuditLogger() {
        withAuditLog(context -> {
            AuditLog audit = context.getBean(AuditLog.class);

            audit.record("eve\nforged=\"1\"", "192.0.2.9", AuditAction.THROTTLED, null, false, "wait 30s");

            assertThat(trail.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).isEqualTo("action=login.throttled outcome=failure "
                        + "actor=\"eve\\nforged=\\\"1\\\"\" address=\"192.0.2.9\" target=- detail=\"wait 30s\"");
            });
        });
    }

    @Test
    void aFailureToStoreIsLoggedAndNotThrown() {
        withAuditLog(context -> {
            try (Connection connection = context.getBean(DataSource.class).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE audit_event");
            }
            AuditLog audit = context.getBean(AuditLog.class);

            assertThatNoException().isThrownBy(
                    () -> audit.record("alice", null, AuditAction.ACCOUNT_DELETED, "account:bob", true, null));
            assertThatNoException().isThrownBy(
                    () -> audit.record("alice", null, null, "account:bob", true, null));

            assertThat(errors.list).hasSize(2).allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.ERROR));
            assertThat(errors.list.get(0).getFormattedMessage()).contains("action=account.deleted");
            assertThat(trail.list).as("the log line is written even when the row is not").hasSize(2);
        });
    }

    private void withAuditLog(ContextConsumer<AssertableApplicationContext> test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static void attach(String name, ListAppender<ILoggingEvent> appender) {
        appender.start();
        logger(name).addAppender(appender);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    /** A clock one second further on at each reading, so events recorded one after the other differ in time. */
    private static final class SteppingClock extends Clock {

        private Instant next;

        SteppingClock(Instant start) {
            this.next = start;
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plus(Duration.ofSeconds(1));
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock stays in UTC");
        }
    }
}
