package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.jobs.JobQueue;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.metrics.BotMetrics;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.store.JdbcUploadLinkRepository;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.TestDatabases;
import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.Transactions;
import com.asconboard.ticket.VerificationService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload link's edges, calling {@link UploadLinks} directly on an H2 store: the ticket that already has a
 * key, the ticket closed while a link works or waits for Apple, what the thread hears about the Key ID, an
 * upload overtaken between finding its link and storing its key (by another upload, a newer link or the ticket
 * being closed: each told the right thing, the thread told at most once; no threads or timing involved), and pruning.
 */
class UploadLinksEdgesTest {
    static final String ENGINEER = "U0ENGINEER1";
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String IP = "203.0.113.20";
    static final Duration TTL = Duration.ofHours(72);

    @TempDir
    static Path dir;
    static Database database;
    static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static JdbcTicketRepository tickets;
    static JdbcSecretStore secretStore;
    static final SecretBox box = new SecretBox(randomKey());
    static JdbcUploadLinkRepository links;
    static RacingTransactions racing;
    static TicketChanges changes;
    static Offboarding offboarding;
    static UploadLinks uploads;

    @BeforeAll
    static void open() {
        database = Database.open(TestDatabases.fresh(TestDatabases.Kind.H2, dir), "", "");
        tickets = new JdbcTicketRepository(database);
        secretStore = new JdbcSecretStore(database);
        links = new JdbcUploadLinkRepository(database);
        racing = new RacingTransactions(database);
        changes = new TicketChanges(tickets, new JdbcOutbox(database), racing, clock, List.of());
        JobQueue jobs = new JobQueue(database.joiningDataSource(), clock);
        VerificationService verifications = new VerificationService(changes, new KeyVault(secretStore, box), null,
                jobs, clock, null, new BotMetrics(new SimpleMeterRegistry(), clock));
        offboarding = new Offboarding(changes, secretStore, jobs, null);
        uploads = new UploadLinks(links, changes, box, secretStore, verifications, clock, TTL,
                "https://onboard.example");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    // --- fixtures --------------------------------------------------------------------------------------------

    static Ticket ticket(String customer, String issuerId, String keyId) {
        return changes.inTransaction(() -> tickets.create("T0TEST0001", "C0CHANNEL1", ENGINEER,
                new TicketDetails(customer, "Team", "A1B2C3D4E5", issuerId, keyId), clock.instant()));
    }

    /** A ticket ready to be verified as soon as its key arrives. */
    static Ticket ready(String customer, String keyId) {
        return ticket(customer, ISSUER, keyId);
    }

    /** Issues a link the way the Upload link button does; returns its token. */
    static String link(Ticket ticket) {
        IssuedLink issued = changes.apply(ticket.id(), locked -> uploads.issue(locked, ENGINEER));
        return issued.url().substring(issued.url().lastIndexOf('/') + 1);
    }

    static UploadResult upload(String token, String fileName) {
        byte[] file = TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
        return uploads.submit(token, file, fileName, Map.of(), IP);
    }

    static UploadLink row(String token) {
        return links.findByTokenHash(UploadToken.hash(token)).orElseThrow();
    }

    static List<TicketEvent> events(Ticket ticket, TicketEvent.Kind kind) {
        return tickets.events(ticket.id()).stream().filter(e -> e.kind() == kind).toList();
    }

    static void close(Ticket ticket) {
        assertThat(offboarding.close(ticket.id(), ENGINEER)).isEqualTo(Offboarding.Outcome.DONE);
    }

    static List<String> linkDetailsQueued(Ticket ticket) throws Exception {
        List<String> details = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT detail FROM slack_outbox WHERE ticket_id = ? AND kind = 'LINK' ORDER BY id")) {
            s.setLong(1, ticket.id());
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    details.add(rows.getString(1));
                }
            }
        }
        return details;
    }

    // --- issuing ---------------------------------------------------------------------------------------------

    @Test
    void a_link_for_a_ticket_that_has_a_key_says_an_upload_replaces_it_and_one_without_does_not() throws Exception {
        Ticket first = ticket("First Key Ltd", null, null);
        link(first);
        assertThat(events(first, TicketEvent.Kind.LINK_CREATED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("created an upload link", "expires")
                        .doesNotContain("replace"));
        assertThat(linkDetailsQueued(first)).singleElement().satisfies(d -> assertThat(d).doesNotContain("replaces"));

        Ticket again = ticket("Second Key Ltd", null, null);
        changes.apply(again.id(), t -> {
            tickets.keyReceived(t.id(), clock.instant(), IP, null);
            return null;
        });
        IssuedLink issued = changes.apply(again.id(), locked -> uploads.issue(locked, ENGINEER));

        assertThat(issued.replacesKey()).isTrue();
        assertThat(events(again, TicketEvent.Kind.LINK_CREATED)).singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .endsWith(" (an upload through it will replace the key received earlier)"));
        assertThat(linkDetailsQueued(again)).singleElement()
                .satisfies(d -> assertThat(d).isEqualTo(issued.expiresAt() + " replaces-key"));
    }

    // --- what the thread hears about the Key ID, and whether the link waits for Apple -------------------------

    @Test
    void a_key_whose_file_name_carries_no_key_id_is_taken_and_the_thread_says_the_key_id_is_still_needed() {
        Ticket ticket = ready("Renamed File Ltd", null);
        String token = link(ticket);

        UploadResult result = upload(token, "my-key.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(result.keyId()).isNull();
        assertThat(result.checking()).as("Apple cannot be asked without a Key ID").isFalse();
        assertThat(row(token).status()).isEqualTo(LinkStatus.USED);
        assertThat(events(ticket, TicketEvent.Kind.KEY_RECEIVED)).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("uploaded AuthKey_<Key ID>.p8 through the secure link (from " + IP + "); the Key ID is "
                        + "still needed (Edit details)"));
    }

    @Test
    void a_key_with_the_key_id_the_ticket_expects_is_taken_without_a_word_about_the_key_id() {
        Ticket ticket = ticket("Known Id Ltd", null, "KNOWNID123");
        String token = link(ticket);

        UploadResult result = upload(token, "AuthKey_KNOWNID123.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(result.keyId()).isEqualTo("KNOWNID123");
        assertThat(events(ticket, TicketEvent.Kind.KEY_RECEIVED)).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("uploaded AuthKey_KNOWNID123.p8 through the secure link (from " + IP + ")"));
    }

    @Test
    void a_key_taken_while_the_issuer_id_is_missing_does_not_wait_for_apple() {
        Ticket ticket = ticket("No Issuer Ltd", null, "NOISSUER12");
        String token = link(ticket);

        UploadResult result = upload(token, "AuthKey_NOISSUER12.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(result.checking()).isFalse();
        assertThat(row(token).status()).isEqualTo(LinkStatus.USED);
        assertThat(tickets.find(ticket.id()).orElseThrow().verification().running()).isFalse();
    }

    @Test
    void a_key_taken_for_a_ticket_ready_to_verify_waits_for_apples_verdict() {
        Ticket ticket = ready("Ready Ltd", "READYKEY12");
        String token = link(ticket);

        UploadResult result = upload(token, "AuthKey_READYKEY12.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(result.checking()).isTrue();
        assertThat(row(token).status()).isEqualTo(LinkStatus.CHECKING);
        assertThat(uploads.page(token).state()).isEqualTo(LinkPage.State.CHECKING);
        UploadResult another = upload(token, "AuthKey_READYKEY12.p8");
        assertThat(another.kind()).isEqualTo(UploadResult.Kind.BEING_CHECKED);
        assertThat(another.message().key()).isEqualTo("link.checking");
    }

    // --- a ticket closed while its link works or waits ---------------------------------------------------------

    @Test
    void a_working_link_of_a_closed_ticket_takes_no_key_and_says_the_onboarding_was_closed() {
        Ticket ticket = ticket("Abandoned Ltd", null, null);
        String token = link(ticket);
        close(ticket);

        LinkPage page = uploads.page(token);
        UploadResult result = upload(token, "AuthKey_ABANDONED1.p8");

        assertThat(page.state()).isEqualTo(LinkPage.State.REFUSED);
        assertThat(page.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(page.message().key()).isEqualTo("link.closed");
        assertThat(result.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(result.message().key()).isEqualTo("link.closed");
        assertThat(secretStore.find(ticket.id(), UploadLinks.KEY_PURPOSE)).isEmpty();
        assertThat(row(token).status()).as("nothing was spent").isEqualTo(LinkStatus.ACTIVE);
    }

    @Test
    void a_link_waiting_for_apple_when_its_ticket_is_closed_says_the_onboarding_was_closed() {
        Ticket ticket = ready("Closed While Checking Ltd", "CLOSEDCHK1");
        String token = link(ticket);
        assertThat(upload(token, "AuthKey_CLOSEDCHK1.p8").checking()).isTrue();
        close(ticket);

        LinkPage page = uploads.page(token);
        UploadResult again = upload(token, "AuthKey_CLOSEDCHK1.p8");

        assertThat(page.state()).isEqualTo(LinkPage.State.REFUSED);
        assertThat(page.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(page.message().key()).isEqualTo("link.closed");
        assertThat(again.kind()).as("not 'being checked': nothing will be checked any more")
                .isEqualTo(UploadResult.Kind.GONE);
        assertThat(again.message().key()).isEqualTo("link.closed");
    }

    @Test
    void a_link_apple_gave_its_verdict_through_says_the_onboarding_was_closed_once_it_is() {
        Ticket ticket = ready("Closed After Verdict Ltd", "CLOSEDVER1");
        String token = link(ticket);
        upload(token, "AuthKey_CLOSEDVER1.p8");
        assertThat(links.spend(row(token).id(), Verdict.VERIFIED)).isTrue();
        assertThat(uploads.page(token).state()).isEqualTo(LinkPage.State.VERIFIED);
        close(ticket);

        LinkPage page = uploads.page(token);

        assertThat(page.state()).isEqualTo(LinkPage.State.REFUSED);
        assertThat(page.message().key()).isEqualTo("link.closed");
    }

    @Test
    void a_used_link_without_a_verdict_still_says_it_was_used_after_its_ticket_is_closed() {
        Ticket ticket = ticket("Closed After Use Ltd", null, null);
        String token = link(ticket);
        assertThat(upload(token, "AuthKey_CLOSEDUSE1.p8").checking()).isFalse();
        close(ticket);

        LinkPage page = uploads.page(token);

        assertThat(page.state()).isEqualTo(LinkPage.State.REFUSED);
        assertThat(page.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(page.message().key()).isEqualTo("link.used");
    }

    // --- two uploads racing for one link -----------------------------------------------------------------------

    @Test
    void the_second_of_two_racing_uploads_is_told_the_key_is_being_checked_when_the_first_waits_for_apple() {
        Ticket ticket = ready("Race Checking Ltd", "RACECHECK1");
        String token = link(ticket);
        AtomicReference<UploadResult> first = new AtomicReference<>();
        // The second upload found the link unused; the first one stores its key before the second can.
        racing.beforeNextTransaction(() -> first.set(upload(token, "AuthKey_RACECHECK1.p8")));

        UploadResult second = upload(token, "AuthKey_RACECHECK1.p8");

        assertThat(first.get().kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(first.get().checking()).isTrue();
        assertThat(second.kind()).isEqualTo(UploadResult.Kind.BEING_CHECKED);
        assertThat(second.message().key()).isEqualTo("link.checking");
        assertThat(events(ticket, TicketEvent.Kind.KEY_RECEIVED)).hasSize(1);
        assertThat(events(ticket, TicketEvent.Kind.LINK_REUSED)).isEmpty();
    }

    @Test
    void the_second_of_two_racing_uploads_is_told_the_link_was_used_and_the_thread_hears_it_once() {
        Ticket ticket = ticket("Race Used Ltd", null, null);
        String token = link(ticket);
        AtomicReference<UploadResult> first = new AtomicReference<>();
        racing.beforeNextTransaction(() -> first.set(upload(token, "AuthKey_RACEUSED01.p8")));

        UploadResult second = upload(token, "AuthKey_RACEUSED01.p8");

        assertThat(first.get().kind()).isEqualTo(UploadResult.Kind.ACCEPTED);
        assertThat(first.get().checking()).isFalse();
        assertThat(second.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(second.message().key()).isEqualTo("link.used_just_now");
        assertThat(events(ticket, TicketEvent.Kind.KEY_RECEIVED)).hasSize(1);
        assertThat(events(ticket, TicketEvent.Kind.LINK_REUSED)).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("someone tried the upload link again after the key was received (from " + IP
                        + "); it was refused"));

        UploadResult later = upload(token, "AuthKey_RACEUSED01.p8");
        assertThat(later.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(events(ticket, TicketEvent.Kind.LINK_REUSED)).as("told once").hasSize(1);
    }

    @Test
    void an_upload_overtaken_by_a_newer_link_is_told_the_link_was_replaced_not_that_its_key_arrived() {
        Ticket ticket = ticket("Race Revoked Ltd", null, null);
        String token = link(ticket);
        // The engineer clicks Upload link again while the customer's upload is on its way.
        racing.beforeNextTransaction(() -> link(ticket));

        UploadResult result = upload(token, "AuthKey_RACEREVOK1.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(result.message().key()).isEqualTo("link.revoked");
        assertThat(secretStore.find(ticket.id(), UploadLinks.KEY_PURPOSE)).isEmpty();
        assertThat(events(ticket, TicketEvent.Kind.KEY_RECEIVED)).isEmpty();
        assertThat(events(ticket, TicketEvent.Kind.LINK_REUSED)).as("no key was received to be used again").isEmpty();
    }

    @Test
    void an_upload_overtaken_by_the_ticket_being_closed_is_told_the_onboarding_was_closed() {
        Ticket ticket = ticket("Race Closed Ltd", null, null);
        String token = link(ticket);
        racing.beforeNextTransaction(() -> close(ticket));

        UploadResult result = upload(token, "AuthKey_RACECLOSE1.p8");

        assertThat(result.kind()).isEqualTo(UploadResult.Kind.GONE);
        assertThat(result.message().key()).isEqualTo("link.closed");
        assertThat(secretStore.find(ticket.id(), UploadLinks.KEY_PURPOSE)).isEmpty();
        assertThat(events(ticket, TicketEvent.Kind.LINK_REUSED)).isEmpty();
    }

    // --- pruning ---------------------------------------------------------------------------------------------

    @Test
    void links_that_ended_more_than_90_days_ago_are_pruned_and_working_ones_kept() {
        Ticket ticket = ticket("Prune Ltd", null, null);
        String revoked = link(ticket);
        Instant revokedEnded = row(revoked).expiresAt();
        String used = link(ticket);
        upload(used, "AuthKey_PRUNEUSED1.p8");
        Instant usedEnded = row(used).usedAt();
        Instant lastEnded = revokedEnded.isAfter(usedEnded) ? revokedEnded : usedEnded;
        Duration shift = Duration.between(clock.instant(), lastEnded.plus(UploadLinks.KEEP_ENDED).plusSeconds(1));
        clock.advance(shift);
        try {
            String working = link(ticket("Prune Later Ltd", null, null));
            int before = countLinks();

            int pruned = uploads.pruneEnded();

            assertThat(pruned).isPositive().isEqualTo(before - countLinks());
            assertThat(links.findByTokenHash(UploadToken.hash(revoked))).isEmpty();
            assertThat(links.findByTokenHash(UploadToken.hash(used))).isEmpty();
            assertThat(links.findByTokenHash(UploadToken.hash(working))).isPresent();
        } finally {
            clock.advance(shift.negated());
        }
    }

    @Test
    void a_link_that_ended_less_than_90_days_ago_is_kept() {
        Ticket ticket = ticket("Keep Ltd", null, null);
        String token = link(ticket);
        upload(token, "AuthKey_KEEPLINK01.p8");
        Duration shift = UploadLinks.KEEP_ENDED.minusMinutes(1);
        clock.advance(shift);
        try {
            uploads.pruneEnded();

            assertThat(links.findByTokenHash(UploadToken.hash(token))).isPresent();
            assertThat(uploads.page(token).message().key()).as("a late visit still hears the link was used")
                    .isEqualTo("link.used");
        } finally {
            clock.advance(shift.negated());
        }
    }

    static int countLinks() {
        try (Connection c = database.dataSource().getConnection();
                ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM upload_links")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The database's transactions, with a hook run once right before the next one starts: what happens elsewhere
     * between the moment an upload found its link usable and the moment it stores its key.
     */
    static final class RacingTransactions implements Transactions {
        private final Transactions database;
        private volatile Runnable meanwhile;

        RacingTransactions(Transactions database) {
            this.database = database;
        }

        void beforeNextTransaction(Runnable meanwhile) {
            this.meanwhile = meanwhile;
        }

        @Override
        public <T> T inTransaction(Supplier<T> work) {
            Runnable now = meanwhile;
            meanwhile = null;
            if (now != null) {
                now.run();
            }
            return database.inTransaction(work);
        }
    }
}
