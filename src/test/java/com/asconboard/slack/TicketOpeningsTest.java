package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.store.Database;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Opening;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketRepository;
import com.asconboard.ticket.Transactions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tickets handed over by forms are opened many to a commit, in order, and none is lost. */
class TicketOpeningsTest {
    private static final String BAD = "Refused Ltd";

    private Database database;
    private JdbcTicketRepository stored;
    private JdbcOutbox outbox;
    private final AtomicInteger commits = new AtomicInteger();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    /** Runs tasks only when the test says so, as the executor does while requests keep it waiting. */
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
        stored = new JdbcTicketRepository(database);
        outbox = new JdbcOutbox(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aBurstOfFormsIsOpenedInAFewCommitsInTheOrderTheyCame() {
        TicketOpenings openings = openings(stored, held::add, 1_000);

        for (int i = 0; i < 70; i++) {
            openings.open(opening("Customer " + i));
        }
        assertThat(held).as("one task waits for the executor, not one per form").hasSize(1);
        runHeld();

        List<Ticket> tickets = ticketsInOrder(70);
        assertThat(tickets).extracting(t -> t.details().customer())
                .containsExactlyElementsOf(IntStream.range(0, 70).mapToObj(i -> "Customer " + i)
                        .toList());
        assertThat(commits).as("32 + 32 + 6").hasValue(3);
        assertThat(outbox.pending()).as("each ticket's status message and opening event").isEqualTo(140);
        assertThat(tickets).allSatisfy(t -> assertThat(stored.events(t.id())).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("opened " + t.key() + " for " + t.details().customer())));
        assertThat(failures).isEmpty();
    }

    @Test
    void oneOpeningThatCannotBeSavedCostsNoOneElseTheirTicket() {
        TicketOpenings openings = openings(refusing(BAD), held::add, 1_000);

        openings.open(opening("First Ltd"));
        openings.open(opening(BAD));
        openings.open(opening("Third Ltd"));
        runHeld();

        assertThat(ticketsInOrder(2)).extracting(t -> t.details().customer()).containsExactly("First Ltd", "Third Ltd");
        assertThat(failures).containsOnlyKeys(BAD);
        assertThat(failures.get(BAD)).hasMessage("the database refused " + BAD);
        assertThat(outbox.pending()).as("nothing queued for the refused one").isEqualTo(4);
    }

    @Test
    void whenTooManyWaitTheCallerOpensItsOwnTicketAndNothingIsLost() {
        TicketOpenings openings = openings(stored, held::add, 2);

        openings.open(opening("One Ltd"));
        openings.open(opening("Two Ltd"));
        openings.open(opening("Three Ltd"));
        assertThat(ticketsInOrder(1)).as("opened at once by the caller").extracting(t -> t.details().customer())
                .containsExactly("Three Ltd");
        runHeld();

        assertThat(ticketsInOrder(3)).extracting(t -> t.details().customer())
                .containsExactly("Three Ltd", "One Ltd", "Two Ltd");
        assertThat(failures).isEmpty();
    }

    @Test
    void whenTheExecutorHasShutDownWhatWaitsIsStillOpenedOnTheCallersThread() {
        List<Runnable> queued = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean shutDown = new AtomicBoolean();
        TicketOpenings openings = openings(stored, task -> {
            if (shutDown.get()) {
                refused.incrementAndGet();
                throw new RejectedExecutionException("shut down");
            }
            queued.add(task);
        }, 1_000);
        for (int i = 0; i < 40; i++) {
            openings.open(opening("Before " + i));
        }
        shutDown.set(true);

        // The task queued before the shutdown still runs (a graceful shutdown finishes the queue): one batch,
        // then it cannot hand the rest to the executor and opens them itself.
        queued.forEach(Runnable::run);
        openings.open(opening("During"));

        assertThat(refused).hasValue(2);
        assertThat(ticketsInOrder(41)).extracting(t -> t.details().customer()).endsWith("Before 39", "During");
        assertThat(failures).isEmpty();
    }

    @Test
    void formsFromManyThreadsAreEachOpenedExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            TicketOpenings openings = openings(stored, pool, 1_000);
            CountDownLatch sent = new CountDownLatch(16);
            for (int s = 0; s < 16; s++) {
                int sender = s;
                senders.execute(() -> {
                    for (int i = 0; i < 40; i++) {
                        openings.open(opening("Sender " + sender + " form " + i));
                    }
                    sent.countDown();
                });
            }
            assertThat(sent.await(20, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stored.countOpen("T0TEST0001") < 640 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            List<Ticket> tickets = ticketsInOrder(640);
            assertThat(tickets).extracting(t -> t.details().customer()).doesNotHaveDuplicates();
            for (int s = 0; s < 16; s++) {
                String prefix = "Sender " + s + " form ";
                assertThat(tickets).extracting(t -> t.details().customer()).filteredOn(c -> c.startsWith(prefix))
                        .as("each sender's forms in the order it sent them")
                        .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> prefix + i)
                                .toList());
            }
            assertThat(commits.get()).as("fewer commits than tickets").isLessThan(640);
            assertThat(failures).isEmpty();
        } finally {
            senders.shutdownNow();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private TicketOpenings openings(TicketRepository tickets, Executor executor, int capacity) {
        Transactions counted = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                commits.incrementAndGet();
                return database.inTransaction(work);
            }
        };
        OnboardingService onboarding = new OnboardingService(tickets, outbox, counted, () -> { }, Clock.systemUTC());
        return new TicketOpenings(onboarding, executor, capacity,
                (opening, e) -> failures.put(opening.details().customer(), e));
    }

    /** The store, except that creating a ticket for {@code customer} fails. */
    private TicketRepository refusing(String customer) {
        return (TicketRepository) Proxy.newProxyInstance(TicketRepository.class.getClassLoader(),
                new Class<?>[] {TicketRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("create") && ((TicketDetails) args[3]).customer().equals(customer)) {
                        throw new IllegalStateException("the database refused " + customer);
                    }
                    try {
                        return method.invoke(stored, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void runHeld() {
        Runnable task;
        while ((task = held.poll()) != null) {
            task.run();
        }
    }

    private List<Ticket> ticketsInOrder(int expected) {
        List<Ticket> open = new ArrayList<>(stored.findOpen("T0TEST0001", 10_000));
        Collections.reverse(open);
        assertThat(open).hasSize(expected);
        return open;
    }

    private static Opening opening(String customer) {
        return new Opening("T0TEST0001", "C0CHANNEL1", "U0USER0001",
                new TicketDetails(customer, "Acme", "A1B2C3D4E5", "57246542-96fe-1a63-e053-0824d011072a", "ABC1234567"));
    }
}
