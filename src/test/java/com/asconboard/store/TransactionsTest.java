package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Outbox;
import com.asconboard.ticket.OutboxDelivery;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketNotifier;
import com.asconboard.ticket.Transactions;
import com.asconboard.ticket.TicketDetails;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ticket's change, its audit event and its messages are committed together or not at all. */
class TransactionsTest {
    private static final TicketDetails DETAILS =
            new TicketDetails("Acme Ltd", "Acme", "A1B2C3D4E5", "57246542-96fe-1a63-e053-0824d011072a", "ABC1234567");

    private Database database;
    private JdbcTicketRepository tickets;
    private JdbcOutbox outbox;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
        tickets = new JdbcTicketRepository(database);
        outbox = new JdbcOutbox(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void openingATicketCommitsTicketEventAndMessagesAtOnceAndWakesDeliveryAfterwards() {
        AtomicInteger seenByDelivery = new AtomicInteger(-1);
        // The delivery runs on another thread: it must find the messages committed when woken.
        Runnable wake = () -> seenByDelivery.set(CompletableFuture.supplyAsync(outbox::pending).join());
        OnboardingService onboarding = new OnboardingService(tickets, outbox, database, wake, Clock.systemUTC());

        Ticket ticket = onboarding.open("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS);

        assertThat(seenByDelivery).hasValue(2);
        assertThat(tickets.find(ticket.id())).isPresent();
        assertThat(tickets.events(ticket.id())).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("opened " + ticket.key() + " for Acme Ltd"));
        assertThat(outbox.dueHeads(Instant.now().plusSeconds(1), 10)).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(Outbox.Kind.STATUS));
    }

    @Test
    void whenQueueingTheMessagesFailsNoTicketNorEventIsLeftBehind() {
        AtomicInteger adds = new AtomicInteger();
        Outbox failingSecondAdd = new ForwardingOutbox(outbox) {
            @Override
            public void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at) {
                if (adds.incrementAndGet() == 2) {
                    throw new StoreException("disk full", null);
                }
                super.add(ticketId, kind, actor, eventKind, detail, at);
            }
        };
        AtomicInteger wakes = new AtomicInteger();
        OnboardingService onboarding = new OnboardingService(tickets, failingSecondAdd, database,
                wakes::incrementAndGet, Clock.systemUTC());

        assertThatThrownBy(() -> onboarding.open("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS))
                .hasMessageContaining("disk full");

        assertThat(tickets.countOpen("T0TEST0001")).isZero();
        assertThat(outbox.pending()).isZero();
        assertThat(wakes).hasValue(0);
        // The identity column moved on, but the failed ticket's number holds nothing.
        Ticket next = new OnboardingService(tickets, outbox, database, () -> { }, Clock.systemUTC())
                .open("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS);
        assertThat(tickets.events(next.id())).hasSize(1);
        assertThat(tickets.findOpen("T0TEST0001", 10)).extracting(Ticket::id).containsExactly(next.id());
    }

    @Test
    void aNestedTransactionJoinsTheOuterOneAndFailsWithIt() {
        assertThatThrownBy(() -> database.inTransaction(() -> {
            database.inTransaction(() -> tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS,
                    Instant.now()));
            assertThat(tickets.countOpen("T0TEST0001")).as("seen inside the transaction").isOne();
            throw new IllegalStateException("later step failed");
        })).hasMessage("later step failed");

        assertThat(tickets.countOpen("T0TEST0001")).isZero();
    }

    @Test
    void otherThreadsDoNotSeeATransactionUntilItCommits() {
        List<Integer> seenOutside = database.inTransaction(() -> {
            tickets.create("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS, Instant.now());
            int inside = tickets.countOpen("T0TEST0001");
            int outside = CompletableFuture.supplyAsync(() -> tickets.countOpen("T0TEST0001")).join();
            return List.of(inside, outside);
        });

        assertThat(seenOutside).containsExactly(1, 0);
        assertThat(tickets.countOpen("T0TEST0001")).isOne();
    }

    @Test
    void aBurstOfTicketsDeliveredIsRecordedInAFewCommitsAndNothingIsLeftOut() {
        OnboardingService onboarding = new OnboardingService(tickets, outbox, database, () -> { }, Clock.systemUTC());
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(onboarding.open("T0TEST0001", "C0CHANNEL1", "U0USER0001", DETAILS).id());
        }
        List<Long> posted = new java.util.ArrayList<>();
        TicketNotifier notifier = new TicketNotifier() {
            @Override
            public String postStatus(Ticket ticket) {
                posted.add(ticket.id());
                return "1700000000." + ticket.id();
            }

            @Override
            public void updateStatus(Ticket ticket) {
            }

            @Override
            public void postEvent(Ticket ticket, TicketEvent event) {
            }

            @Override
            public void tellPrivately(Ticket ticket, String userId, String text) {
            }
        };
        AtomicInteger commits = new AtomicInteger();
        Transactions counted = new Transactions() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) {
                commits.incrementAndGet();
                return database.inTransaction(work);
            }
        };
        OutboxDelivery delivery = new OutboxDelivery(outbox, tickets, notifier, counted, () -> { },
                Clock.systemUTC());

        int taken = delivery.deliverDue();

        assertThat(posted).containsExactlyElementsOf(ids);
        assertThat(taken).as("each ticket's status and its opening event").isEqualTo(80);
        assertThat(outbox.pending()).isZero();
        assertThat(ids).allSatisfy(id -> assertThat(tickets.find(id).orElseThrow().messageTs())
                .isEqualTo("1700000000." + id));
        assertThat(commits).as("16 tickets to a commit").hasValue(3);
    }

    /** Passes everything to another outbox; tests override what should fail. */
    private static class ForwardingOutbox implements Outbox {
        private final Outbox delegate;

        ForwardingOutbox(Outbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public void add(long ticketId, Kind kind, String actor, String eventKind, String detail, Instant at) {
            delegate.add(ticketId, kind, actor, eventKind, detail, at);
        }

        @Override
        public List<Entry> dueHeads(Instant now, int limit) {
            return delegate.dueHeads(now, limit);
        }

        @Override
        public List<Entry> queueOf(long ticketId) {
            return delegate.queueOf(ticketId);
        }

        @Override
        public void delivered(long id) {
            delegate.delivered(id);
        }

        @Override
        public void retryLater(long id, Instant next, String error) {
            delegate.retryLater(id, next, error);
        }

        @Override
        public int pending() {
            return delegate.pending();
        }

        @Override
        public Instant nextDue() {
            return delegate.nextDue();
        }
    }
}
