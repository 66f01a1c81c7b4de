package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.certs.CertificateRepository;
import com.asconboard.certs.CertificateService;
import com.asconboard.jobs.JobQueue;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.metrics.BotMetrics;
import com.asconboard.testing.DatabaseScan;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.TestDatabases;
import com.asconboard.ticket.Activation;
import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Reminders;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.VerificationService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A ticket's lifecycle in the store, on H2 and on PostgreSQL: onboarding → active when the five steps pass,
 * active → offboarded, onboarding → closed; the ends destroy the secrets (rows deleted, the sealed bytes found
 * nowhere in the database); only active accounts are watched; each waiting period is reminded once.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class AccountLifecycleTest {
    private static final String TEAM = "T0TEST0001";
    private static final String CHANNEL = "C0CHANNEL1";
    private static final String ENGINEER = "U0ENGINEER1";
    private static final String ADMIN = "U0ADMIN0001";
    private static final TicketDetails DETAILS = new TicketDetails("Acme Ltd", "Acme", "A1B2C3D4E5",
            "57246542-96fe-1a63-e053-0824d011072a", "ABC1234567");

    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final SecretBox box = new SecretBox(new byte[32]);
    private Database database;
    private JdbcTicketRepository tickets;
    private JdbcSecretStore secrets;
    private JdbcCertificateRepository certificates;
    private JobQueue jobs;
    private TicketChanges changes;
    private Offboarding offboarding;

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.fresh(kind, dir), "", "");
        tickets = new JdbcTicketRepository(database);
        secrets = new JdbcSecretStore(database);
        certificates = new JdbcCertificateRepository(database);
        jobs = new JobQueue(database.joiningDataSource(), clock);
        changes = new TicketChanges(tickets, new JdbcOutbox(database), database, clock, List.of());
        changes.settleWith(new Activation(changes, jobs, clock, Duration.ofHours(24)));
        offboarding = new Offboarding(changes, secrets, jobs, "vendor@example.com");
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private Ticket open(TicketDetails details) {
        return changes.inTransaction(() -> {
            Ticket t = tickets.create(TEAM, CHANNEL, ENGINEER, details, clock.instant());
            changes.record(t, ENGINEER, TicketEvent.Kind.OPENED, "opened " + t.key());
            return t;
        });
    }

    /** The customer's key arrives, sealed as the upload stores it; returns the sealed bytes. */
    private byte[] keyArrives(Ticket ticket) {
        byte[] pkcs8 = new byte[138];
        new SecureRandom().nextBytes(pkcs8);
        Sealed sealed = box.seal(pkcs8, SecretBox.aadFor(ticket.id(), KeyVault.API_KEY));
        changes.apply(ticket.id(), t -> {
            secrets.put(t.id(), KeyVault.API_KEY, sealed, clock.instant());
            tickets.keyReceived(t.id(), clock.instant(), "192.0.2.1", null);
            return null;
        });
        return sealed.toBytes();
    }

    private static VerificationReport report(Instant at, Outcome vendorUser) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(Kind.AUTHENTICATION, Outcome.PASSED, "Apple accepted the key", null));
        checks.add(new Check(Kind.PROVISIONING, Outcome.PASSED, "the key can read the account's certificates", null));
        checks.add(new Check(Kind.TEAM, Outcome.PASSED, "the key belongs to Team ID A1B2C3D4E5", null));
        checks.add(new Check(Kind.SLOTS, Outcome.PASSED, "0 of 3 in use, 3 free for the vendor", null));
        checks.add(new Check(Kind.VENDOR_USER, vendorUser, "vendor@example.com", null));
        return new VerificationReport(at, checks, List.of());
    }

    private void verified(Ticket ticket, Outcome vendorUser) {
        changes.apply(ticket.id(), t -> {
            tickets.finishVerification(t.id(), ENGINEER, report(clock.instant(), vendorUser), clock.instant());
            return null;
        });
    }

    /** An active account holding the vendor's certificate, its private key sealed; returns the sealed bytes. */
    private byte[] certificateStored(Ticket ticket) {
        byte[] rsa = new byte[1200];
        new SecureRandom().nextBytes(rsa);
        Sealed sealed = box.seal(rsa, SecretBox.aadFor(ticket.id(), CertificateService.keyPurpose("5EA1ED")));
        changes.apply(ticket.id(), t -> {
            certificates.add(t.id(), new CertificateRepository.Issued("CERTID0001", "5EA1ED", "Apple Distribution",
                    clock.instant().plus(Duration.ofDays(365)), new byte[] {1, 2, 3}), ADMIN, clock.instant());
            secrets.put(t.id(), CertificateService.keyPurpose("5EA1ED"), sealed, clock.instant());
            return null;
        });
        return sealed.toBytes();
    }

    private List<TicketEvent.Kind> events(Ticket ticket) {
        return tickets.events(ticket.id()).stream().map(TicketEvent::kind).toList();
    }

    private int jobsNamed(String task, Ticket ticket) {
        return database.jdbc().queryOne("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                row -> row.getInt(1), task, Long.toString(ticket.id())).orElse(0);
    }

    private Ticket reread(Ticket ticket) {
        return tickets.find(ticket.id()).orElseThrow();
    }

    @Test
    void an_onboarding_becomes_active_in_the_change_that_passes_its_fifth_step_and_its_watch_is_planned() {
        Ticket ticket = open(DETAILS);
        keyArrives(ticket);
        verified(ticket, Outcome.UNKNOWN);
        assertThat(reread(ticket).lifecycle()).as("step 1 unconfirmed").isEqualTo(Lifecycle.ONBOARDING);
        assertThat(jobsNamed("watch", ticket)).isZero();

        changes.apply(ticket.id(), t -> {
            tickets.confirmAccess(t.id(), ENGINEER, clock.instant());
            return null;
        });

        Ticket active = reread(ticket);
        assertThat(active.lifecycle()).isEqualTo(Lifecycle.ACTIVE);
        assertThat(active.isOpen()).isTrue();
        assertThat(active.activatedAt()).isEqualTo(clock.instant());
        assertThat(events(ticket)).containsSubsequence(TicketEvent.Kind.OPENED, TicketEvent.Kind.ACTIVATED);
        assertThat(tickets.events(ticket.id()).get(tickets.events(ticket.id()).size() - 1).detail())
                .contains("Acme Ltd's account is active and watched", "checked every day");
        assertThat(jobsNamed("watch", ticket)).as("first watch check planned").isOne();
    }

    @Test
    void an_onboarding_missing_a_step_stays_onboarding_and_is_not_watched() {
        Ticket ticket = open(new TicketDetails("No Team Name Inc", null, "A1B2C3D4E5",
                "57246542-96fe-1a63-e053-0824d011072a", "ABC1234567"));
        keyArrives(ticket);
        verified(ticket, Outcome.PASSED);

        assertThat(reread(ticket).lifecycle()).isEqualTo(Lifecycle.ONBOARDING);
        assertThat(certificates.watchedTickets()).doesNotContain(ticket.id());
        assertThat(new Activation(changes, jobs, clock, Duration.ofHours(24)).catchUp()).isZero();
    }

    @Test
    void onboardings_complete_before_lifecycles_existed_are_activated_by_the_catch_up() {
        Ticket ticket = open(DETAILS);
        keyArrives(ticket);
        // Stored without going through a change (as by an older version): nothing noticed it was complete.
        tickets.finishVerification(ticket.id(), ENGINEER, report(clock.instant(), Outcome.PASSED), clock.instant());
        assertThat(reread(ticket).lifecycle()).isEqualTo(Lifecycle.ONBOARDING);

        assertThat(new Activation(changes, jobs, clock, Duration.ofHours(24)).catchUp()).isOne();

        assertThat(reread(ticket).lifecycle()).isEqualTo(Lifecycle.ACTIVE);
    }

    @Test
    void only_active_accounts_are_watched() {
        Ticket onboarding = open(DETAILS);
        keyArrives(onboarding);
        Ticket active = open(DETAILS);
        keyArrives(active);
        verified(active, Outcome.PASSED);
        Ticket offboarded = open(DETAILS);
        keyArrives(offboarded);
        verified(offboarded, Outcome.PASSED);
        offboarding.offboard(offboarded.id(), ADMIN, false);

        assertThat(certificates.watchedTickets()).containsExactly(active.id());
        assertThat(certificates.watchedWithoutJob()).doesNotContainKeys(onboarding.id(), offboarded.id());
    }

    @Test
    void close_abandons_an_onboarding_and_destroys_its_key_leaving_its_sealed_bytes_nowhere() throws Exception {
        Ticket ticket = open(DETAILS);
        byte[] sealedKey = keyArrives(ticket);
        try (var c = database.dataSource().getConnection()) {
            assertThat(DatabaseScan.tablesHolding(c, sealedKey)).as("found before").containsExactly("ticket_secrets");
        }

        assertThat(offboarding.close(ticket.id(), ENGINEER)).isEqualTo(Offboarding.Outcome.DONE);

        Ticket closed = reread(ticket);
        assertThat(closed.lifecycle()).isEqualTo(Lifecycle.CLOSED);
        assertThat(closed.isOpen()).isFalse();
        assertThat(closed.closedBy()).isEqualTo(ENGINEER);
        assertThat(secrets.find(ticket.id(), KeyVault.API_KEY)).isEmpty();
        assertThat(rows("ticket_secrets", ticket)).isZero();
        try (var c = database.dataSource().getConnection()) {
            assertThat(DatabaseScan.tablesHolding(c, sealedKey)).isEmpty();
        }
        assertThat(tickets.events(ticket.id())).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(TicketEvent.Kind.CLOSED);
            assertThat(e.detail()).contains("abandoned", "the API key received was destroyed");
        });
        assertThat(offboarding.close(ticket.id(), ENGINEER)).isEqualTo(Offboarding.Outcome.ALREADY_ENDED);
    }

    @Test
    void an_active_account_is_offboarded_not_closed_and_an_onboarding_closed_not_offboarded() {
        Ticket onboarding = open(DETAILS);
        Ticket active = open(DETAILS);
        keyArrives(active);
        verified(active, Outcome.PASSED);

        assertThat(offboarding.close(active.id(), ENGINEER)).isEqualTo(Offboarding.Outcome.WRONG_STAGE);
        assertThat(offboarding.offboard(onboarding.id(), ADMIN, false)).isEqualTo(Offboarding.Outcome.WRONG_STAGE);

        assertThat(reread(active).lifecycle()).isEqualTo(Lifecycle.ACTIVE);
        assertThat(reread(onboarding).lifecycle()).isEqualTo(Lifecycle.ONBOARDING);
    }

    @Test
    void offboarding_destroys_the_key_and_the_certificate_keys_stops_watching_and_says_what_the_customer_does()
            throws Exception {
        Ticket ticket = open(DETAILS);
        byte[] sealedKey = keyArrives(ticket);
        verified(ticket, Outcome.PASSED);
        byte[] sealedCertificateKey = certificateStored(ticket);
        assertThat(certificates.watchedTickets()).contains(ticket.id());

        assertThat(offboarding.offboard(ticket.id(), ADMIN, false)).isEqualTo(Offboarding.Outcome.DONE);

        Ticket offboarded = reread(ticket);
        assertThat(offboarded.lifecycle()).isEqualTo(Lifecycle.OFFBOARDED);
        assertThat(offboarded.closedBy()).isEqualTo(ADMIN);
        assertThat(rows("ticket_secrets", ticket)).isZero();
        try (var c = database.dataSource().getConnection()) {
            assertThat(DatabaseScan.tablesHolding(c, sealedKey)).isEmpty();
            assertThat(DatabaseScan.tablesHolding(c, sealedCertificateKey)).isEmpty();
        }
        assertThat(certificates.watchedTickets()).doesNotContain(ticket.id());
        assertThat(jobsNamed("revoke", ticket)).as("no revocation asked for").isZero();
        TicketEvent event = tickets.events(ticket.id()).get(tickets.events(ticket.id()).size() - 1);
        assertThat(event.kind()).isEqualTo(TicketEvent.Kind.OFFBOARDED);
        assertThat(event.actor()).isEqualTo(ADMIN);
        assertThat(event.detail()).contains("offboarded Acme Ltd",
                "the stored API key and the vendor's certificate private key were destroyed",
                "no longer watched", "revoke the API key ABC1234567", "Users and Access → Integrations",
                "remove the vendor's user vendor@example.com", "serial 5EA1ED", "What the vendor keeps: nothing secret");
        assertThat(offboarding.offboard(ticket.id(), ADMIN, false)).isEqualTo(Offboarding.Outcome.ALREADY_ENDED);
    }

    @Test
    void offboarding_with_revocation_queues_the_job_in_its_transaction_and_keeps_only_the_api_key_for_it() {
        Ticket ticket = open(DETAILS);
        keyArrives(ticket);
        verified(ticket, Outcome.PASSED);
        certificateStored(ticket);

        offboarding.offboard(ticket.id(), ADMIN, true);

        assertThat(jobsNamed("revoke", ticket)).isOne();
        assertThat(secrets.find(ticket.id(), KeyVault.API_KEY)).as("the revocation signs in with it").isPresent();
        assertThat(secrets.find(ticket.id(), CertificateService.keyPurpose("5EA1ED"))).isEmpty();
        assertThat(rows("ticket_secrets", ticket)).isOne();
        assertThat(tickets.events(ticket.id())).last().satisfies(e -> assertThat(e.detail())
                .contains("destroyed as soon as the vendor's distribution certificate (serial 5EA1ED) is revoked"));
    }

    @Test
    void the_owner_is_the_opener_until_edit_details_changes_it_and_an_older_form_cannot_put_it_back() {
        Ticket ticket = open(DETAILS);
        assertThat(ticket.owner()).isEqualTo(ENGINEER);
        OnboardingService onboarding = new OnboardingService(changes, new VerificationService(changes,
                new KeyVault(secrets, box), null, jobs, clock, null,
                new BotMetrics(new SimpleMeterRegistry(), clock)));

        var changed = onboarding.editDetails(ticket.id(), ADMIN, DETAILS, "U0NEWOWNER1", 0);
        var stale = onboarding.editDetails(ticket.id(), ENGINEER, DETAILS, ENGINEER, 0);

        assertThat(changed.outcome()).isEqualTo(OnboardingService.EditOutcome.SAVED);
        assertThat(stale.outcome()).isEqualTo(OnboardingService.EditOutcome.STALE);
        assertThat(reread(ticket).owner()).isEqualTo("U0NEWOWNER1");
        assertThat(tickets.events(ticket.id())).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(TicketEvent.Kind.OWNER_CHANGED);
            assertThat(e.detail()).isEqualTo("U0NEWOWNER1");
        });
    }

    @Test
    void a_waiting_period_is_claimed_once_even_by_concurrent_claims() throws Exception {
        Ticket ticket = open(DETAILS);
        List<CompletableFuture<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claims.add(CompletableFuture.supplyAsync(() -> changes.apply(ticket.id(),
                    t -> tickets.claimReminder(t.id(), "link:7", clock.instant()))));
        }

        assertThat(claims.stream().map(CompletableFuture::join)).containsExactlyInAnyOrder(true, false, false, false);
        assertThat(tickets.reminded(ticket.id(), "link:7")).isTrue();
        assertThat(tickets.reminded(ticket.id(), "link:8")).isFalse();
    }

    @Test
    void an_unused_link_is_reminded_once_a_day_before_it_expires_and_a_new_link_is_a_new_wait() {
        Ticket ticket = open(DETAILS);
        JdbcUploadLinkRepository links = new JdbcUploadLinkRepository(database);
        links.issue(ticket.id(), "a".repeat(64), ENGINEER, clock.instant(), clock.instant().plus(Duration.ofHours(72)));
        Reminders reminders = new Reminders(changes, Duration.ofDays(3));

        clock.advance(Duration.ofHours(47));
        assertThat(reminders.sendDue()).as("not yet a day before expiry").isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(reminders.sendDue()).isOne();
        assertThat(reminders.sendDue()).as("once per wait").isZero();
        clock.advance(Duration.ofHours(12));
        assertThat(reminders.sendDue()).isZero();

        links.issue(ticket.id(), "b".repeat(64), ENGINEER, clock.instant(), clock.instant().plus(Duration.ofHours(72)));
        clock.advance(Duration.ofHours(48));
        assertThat(reminders.sendDue()).as("a new link is a new wait").isOne();

        List<TicketEvent> sent = tickets.events(ticket.id()).stream()
                .filter(e -> e.kind() == TicketEvent.Kind.REMINDER).toList();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).detail()).contains("has not used the upload link", "AuthKey_ABC1234567.p8",
                "send a new Upload link");
    }

    @Test
    void a_key_not_verified_is_reminded_after_the_wait_with_the_fix_and_not_once_it_is_closed() {
        Ticket ticket = open(DETAILS);
        keyArrives(ticket);
        changes.apply(ticket.id(), t -> {
            tickets.finishVerification(t.id(), ENGINEER, new VerificationReport(clock.instant(), List.of(
                    new Check(Kind.AUTHENTICATION, Outcome.FAILED, "Apple accepted the key but its role is too low",
                            "Generate a Team key with the App Manager role and upload it.")), List.of()),
                    clock.instant());
            return null;
        });
        Reminders reminders = new Reminders(changes, Duration.ofHours(6));
        Ticket other = open(DETAILS);
        keyArrives(other);

        clock.advance(Duration.ofHours(5));
        assertThat(reminders.sendDue()).isZero();
        clock.advance(Duration.ofHours(2));
        offboarding.close(other.id(), ENGINEER);
        assertThat(reminders.sendDue()).as("the closed one gets none").isOne();
        assertThat(reminders.sendDue()).isZero();

        assertThat(tickets.events(ticket.id())).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(TicketEvent.Kind.REMINDER);
            assertThat(e.detail()).contains("role is too low", "Next step: Generate a Team key with the App Manager");
        });
    }

    private int rows(String table, Ticket ticket) {
        return database.jdbc().queryOne("SELECT COUNT(*) FROM " + table + " WHERE ticket_id = ?", row -> row.getInt(1),
                ticket.id()).orElse(0);
    }
}
