package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.ticket.Outbox;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one mechanism every change goes through, on H2 and on PostgreSQL: the ticket locked, the change, its
 * event and its messages committed together or not at all; the outbox claimed per ticket, in order, by any
 * number of workers.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class TicketChangesTest {
    private static final TicketDetails DETAILS =
            new TicketDetails("Acme Ltd", "Acme", "A1B2C3D4E5", "57246542-96fe-1a63-e053-0824d011072a", "ABC1234567");

    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    private Database database;
    private JdbcTicketRepository tickets;
    private JdbcOutbox outbox;
    private final AtomicInteger wakes = new AtomicInteger();
    private TicketChanges changes;

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.fresh(kind, dir), "", "");
        tickets = new JdbcTicketRepository(database);
        outbox = new JdbcOutbox(database);
        changes = new TicketChanges(tickets, outbox, database, Clock.systemUTC(), List.of(wakes::incrementAndGet));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private Ticket create() {
        return changes.inTransaction(() -> {
            Ticket t = tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS, Instant.now());
            changes.record(t, "U0USER0001", TicketEvent.Kind.OPENED, "opened " + t.key());
            return t;
        });
    }

    @Test
    void a_change_its_event_and_its_messages_commit_together_then_workers_are_woken() {
        Ticket ticket = create();

        assertThat(wakes).hasValue(1);
        assertThat(tickets.events(ticket.id())).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("opened " + ticket.key()));
        assertThat(outbox.pending()).isEqualTo(2);
        Optional<Outbox.Entry> head = database.inTransaction(outbox::claimDue);
        assertThat(head).get().satisfies(e -> assertThat(e.kind()).isEqualTo(Outbox.Kind.STATUS));
    }

    @Test
    void a_failing_change_leaves_no_ticket_event_or_message_and_wakes_no_one() {
        assertThatThrownBy(() -> changes.inTransaction(() -> {
            Ticket t = tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS, Instant.now());
            changes.record(t, "U0USER0001", TicketEvent.Kind.OPENED, "opened");
            throw new StoreException("disk full", null);
        })).hasMessageContaining("disk full");

        assertThat(tickets.countOpen("T0TEST0001", null)).isZero();
        assertThat(outbox.pending()).isZero();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void a_nested_transaction_joins_the_outer_one_and_fails_with_it() {
        assertThatThrownBy(() -> database.inTransaction(() -> {
            database.inTransaction(() -> tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS,
                    Instant.now()));
            assertThat(tickets.countOpen("T0TEST0001", null)).as("seen inside the transaction").isOne();
            throw new IllegalStateException("later step failed");
        })).hasMessage("later step failed");

        assertThat(tickets.countOpen("T0TEST0001", null)).isZero();
    }

    @Test
    void other_threads_do_not_see_a_change_until_it_commits() {
        List<Integer> seen = database.inTransaction(() -> {
            tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS, Instant.now());
            int inside = tickets.countOpen("T0TEST0001", null);
            int outside = CompletableFuture.supplyAsync(() -> tickets.countOpen("T0TEST0001", null)).join();
            return List.of(inside, outside);
        });

        assertThat(seen).containsExactly(1, 0);
    }

    @Test
    void a_second_change_of_a_ticket_waits_for_the_first_and_sees_it() throws Exception {
        Ticket ticket = create();
        CountDownLatch firstHoldsTheLock = new CountDownLatch(1);
        CountDownLatch letFirstCommit = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> changes.apply(ticket.id(), t -> {
            tickets.updateDetails(t.id(), new TicketDetails("Acme Renamed", null, null, null, null), Instant.now());
            firstHoldsTheLock.countDown();
            await(letFirstCommit);
            return null;
        }));
        assertThat(firstHoldsTheLock.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> changes.apply(ticket.id(),
                t -> t.details().customer() + " v" + t.detailsVersion()));

        Thread.sleep(300);
        assertThat(second).as("the second change waits for the ticket's lock").isNotDone();
        letFirstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("Acme Renamed v1");
    }

    @Test
    void a_ticket_being_delivered_is_skipped_and_its_later_messages_wait_behind_it() throws Exception {
        Ticket one = create();
        Ticket two = create();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> database.inTransaction(() -> {
            Outbox.Entry head = outbox.claimDue().orElseThrow();
            claimed.countDown();
            await(release);
            outbox.delivered(head.id());
            return head.ticketId();
        }));
        assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

        List<Long> othersClaim = new ArrayList<>();
        database.inTransaction(() -> {
            outbox.claimDue().ifPresent(e -> othersClaim.add(e.ticketId()));
            return null;
        });
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(one.id());
        assertThat(othersClaim).as("while ticket one's head is claimed, only ticket two's head is free")
                .containsExactly(two.id());
    }

    @Test
    void messages_are_claimed_in_order_per_ticket_by_concurrent_workers() throws Exception {
        List<Ticket> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Ticket t = create();
            made.add(t);
            for (int n = 0; n < 4; n++) {
                changes.apply(t.id(), locked -> changes.record(locked, "U0USER0001", TicketEvent.Kind.DETAILS_EDITED,
                        "edit " + locked.id() + "-" + System.nanoTime()));
            }
        }
        List<String> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable worker = () -> {
            while (database.inTransaction(() -> outbox.claimDue().map(e -> {
                delivered.add(e.ticketId() + ":" + e.id());
                outbox.delivered(e.id());
                return true;
            }).orElse(false))) {
                Thread.onSpinWait();
            }
        };
        CompletableFuture.allOf(CompletableFuture.runAsync(worker), CompletableFuture.runAsync(worker),
                CompletableFuture.runAsync(worker)).get(30, TimeUnit.SECONDS);

        assertThat(delivered).hasSize(5 * 10).doesNotHaveDuplicates();
        for (Ticket t : made) {
            List<Long> ids = delivered.stream().filter(d -> d.startsWith(t.id() + ":"))
                    .map(d -> Long.parseLong(d.substring(d.indexOf(':') + 1))).toList();
            assertThat(ids).as("ticket %s in order", t.id()).isSorted();
        }
    }

    @Test
    void timestamps_are_kept_in_utc_whatever_the_jvms_time_zone() {
        TimeZone before = TimeZone.getDefault();
        Instant at = Instant.parse("2026-03-29T01:30:00Z");
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris"));
            Ticket t = database.inTransaction(() -> tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS,
                    at));
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            assertThat(tickets.find(t.id()).orElseThrow().createdAt()).isEqualTo(at);
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void a_secret_is_stored_replaced_and_deleted() {
        Ticket t = create();
        SecretBox box = new SecretBox(new byte[32]);
        JdbcSecretStore secrets = new JdbcSecretStore(database);
        Sealed first = box.seal(new byte[] {1, 2, 3}, SecretBox.aadFor(t.id(), "p8"));
        Sealed second = box.seal(new byte[] {4, 5, 6}, SecretBox.aadFor(t.id(), "p8"));

        secrets.put(t.id(), "p8", first, Instant.now());
        secrets.put(t.id(), "p8", second, Instant.now());

        assertThat(secrets.find(t.id(), "p8")).get().extracting(Sealed::toBytes).isEqualTo(second.toBytes());
        assertThat(secrets.countByMasterKey()).containsEntry(box.keyId(), 1);
        assertThat(secrets.delete(t.id(), "p8")).isTrue();
        assertThat(secrets.find(t.id(), "p8")).isEmpty();
    }

    @Test
    void the_database_tells_the_time() {
        assertThat(database.now()).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(new DatabaseClock(database).instant()).isBetween(Instant.now().minusSeconds(5),
                Instant.now().plusSeconds(5));
        assertThat(database.migrationsApplied()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
