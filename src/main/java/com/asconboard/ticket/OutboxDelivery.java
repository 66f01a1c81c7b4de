package com.asconboard.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the notifier on its own thread, in order per ticket. A retryable failure
 * (Slack down, rate limited, a timeout) keeps the entry at the head of its ticket's queue and tries
 * again with backoff, honouring Retry-After; a restart simply carries on with what is left.
 */
public final class OutboxDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** About a day of retries at the longest backoff; past that the entry is dropped and logged. */
    static final int MAX_ATTEMPTS = 300;
    private static final int BATCH = 200;

    private final Outbox outbox;
    private final TicketRepository tickets;
    private final TicketNotifier notifier;
    private final Transactions transactions;
    private final Foreground foreground;
    private final Clock clock;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    /** Each message waits for {@code foreground} to be quiet: an ack matters more than a message a moment sooner. */
    public OutboxDelivery(Outbox outbox, TicketRepository tickets, TicketNotifier notifier, Transactions transactions,
            Foreground foreground, Clock clock) {
        this.foreground = foreground;
        this.outbox = outbox;
        this.tickets = tickets;
        this.notifier = notifier;
        this.transactions = transactions;
        this.clock = clock;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "slack-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    /** Something new waits: deliver it now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    public int pending() {
        return outbox.pending();
    }

    /** Delivers every entry that is due now, in order per ticket; returns how many were taken. */
    public synchronized int deliverDue() {
        int taken = 0;
        while (true) {
            List<Outbox.Entry> heads = outbox.dueHeads(clock.instant(), BATCH);
            if (heads.isEmpty()) {
                return taken;
            }
            int progress = 0;
            Outcomes outcomes = new Outcomes();
            try {
                for (Outbox.Entry head : heads) {
                    progress += deliverQueue(head.ticketId(), outcomes);
                    if (outcomes.full(clock.instant())) {
                        record(outcomes);
                        outcomes = new Outcomes();
                    }
                }
            } finally {
                record(outcomes);
            }
            taken += progress;
            if (progress == 0) {
                return taken;
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                deliverDue();
            } catch (RuntimeException e) {
                log.warn("delivering Slack messages failed: {}", e.toString());
            }
            synchronized (signal) {
                if (!woken && running) {
                    try {
                        signal.wait(waitMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private long waitMillis() {
        try {
            Instant next = outbox.nextDue();
            if (next == null) {
                return 5_000;
            }
            return Math.max(10, Math.min(5_000, Duration.between(clock.instant(), next).toMillis()));
        } catch (RuntimeException e) {
            return 5_000;
        }
    }

    /**
     * Delivers one ticket's waiting messages in order until one fails, and notes what happened (the new
     * message's ts, the entries delivered, the retry) in {@code outcomes}, which are committed together
     * for several tickets (see {@link Outcomes}). A crash between a delivery and that commit repeats the
     * delivery after restart: messages are delivered at least once.
     */
    private int deliverQueue(long ticketId, Outcomes outcomes) {
        List<Outbox.Entry> queue = outbox.queueOf(ticketId);
        Ticket ticket = tickets.find(ticketId).orElse(null);
        Batch batch = new Batch(ticketId);
        if (ticket == null) {
            queue.forEach(entry -> batch.done.add(entry.id()));
        } else {
            for (int i = 0; i < queue.size() && batch.retry == null; i++) {
                foreground.awaitQuiet();
                ticket = deliver(queue.get(i), ticket, laterStatusIn(queue, i), batch);
            }
        }
        if (!batch.isEmpty()) {
            outcomes.add(batch, clock.instant());
        }
        return batch.done.size();
    }

    /** Records what was delivered, in one commit. */
    private void record(Outcomes outcomes) {
        if (outcomes.batches.isEmpty()) {
            return;
        }
        transactions.inTransaction(() -> {
            for (Batch batch : outcomes.batches) {
                if (batch.postedTs != null) {
                    tickets.setMessageTs(batch.ticketId, batch.postedTs);
                }
                batch.done.forEach(outbox::delivered);
                if (batch.retry != null) {
                    outbox.retryLater(batch.retry.id(), batch.retryAt, batch.retryError);
                }
                if (batch.privateNote != null) {
                    outbox.add(batch.ticketId, Outbox.Kind.PRIVATE, batch.privateNoteFor, null, batch.privateNote,
                            clock.instant());
                }
            }
            return null;
        });
    }

    /**
     * Several tickets' outcomes, committed together: each commit makes H2 write to its file, so a burst of
     * tickets is recorded in a few commits rather than one each. Bounded in count and age, so that a crash
     * repeats few messages.
     */
    private static final class Outcomes {
        static final int MAX_TICKETS = 16;
        static final Duration MAX_AGE = Duration.ofMillis(250);
        final List<Batch> batches = new ArrayList<>();
        Instant first;

        void add(Batch batch, Instant now) {
            if (first == null) {
                first = now;
            }
            batches.add(batch);
        }

        boolean full(Instant now) {
            return batches.size() >= MAX_TICKETS || (first != null && !now.isBefore(first.plus(MAX_AGE)));
        }
    }

    /** What delivering one ticket's queue did, to be committed with the other tickets' outcomes. */
    private static final class Batch {
        final long ticketId;
        final List<Long> done = new ArrayList<>();
        String postedTs;
        Outbox.Entry retry;
        Instant retryAt;
        String retryError;
        String privateNote;
        String privateNoteFor;

        Batch(long ticketId) {
            this.ticketId = ticketId;
        }

        boolean isEmpty() {
            return done.isEmpty() && retry == null && postedTs == null;
        }
    }

    private static boolean laterStatusIn(List<Outbox.Entry> queue, int index) {
        for (int i = index + 1; i < queue.size(); i++) {
            if (queue.get(i).kind() == Outbox.Kind.STATUS) {
                return true;
            }
        }
        return false;
    }

    /** Delivers one entry and notes the outcome in {@code batch}; returns the ticket as now shown. */
    private Ticket deliver(Outbox.Entry entry, Ticket ticket, boolean laterStatusWaits, Batch batch) {
        try {
            switch (entry.kind()) {
                case STATUS -> {
                    if (ticket.messageTs() == null) {
                        String ts = notifier.postStatus(ticket);
                        batch.postedTs = ts;
                        ticket = ticket.withMessageTs(ts);
                    } else if (!laterStatusWaits) {
                        notifier.updateStatus(ticket);
                    }
                }
                case EVENT -> {
                    if (ticket.messageTs() == null) {
                        log.warn("{}: event dropped from Slack, the status message was never posted (it stays in the "
                                + "audit trail)", ticket.key());
                    } else {
                        notifier.postEvent(ticket, new TicketEvent(ticket.id(), entry.createdAt(), entry.actor(),
                                TicketEvent.Kind.valueOf(entry.eventKind()), entry.detail()));
                    }
                }
                case PRIVATE -> notifier.tellPrivately(ticket, entry.actor(), entry.detail());
            }
            batch.done.add(entry.id());
        } catch (DeliveryException e) {
            if (e.retryable() && entry.attempts() + 1 < MAX_ATTEMPTS) {
                Duration wait = backoff(entry.attempts() + 1);
                if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                    wait = e.retryAfter();
                }
                retry(batch, entry, wait, e.getMessage());
                log.info("{}: Slack did not take a message ({}); trying again in {} s", ticket.key(), e.getMessage(),
                        wait.toSeconds());
            } else {
                giveUp(entry, ticket, e.getMessage(), batch);
            }
        } catch (RuntimeException e) {
            retry(batch, entry, backoff(entry.attempts() + 1), e.toString());
            log.warn("{}: delivering a message failed: {}", ticket.key(), e.toString());
        }
        return ticket;
    }

    private void retry(Batch batch, Outbox.Entry entry, Duration wait, String error) {
        batch.retry = entry;
        batch.retryAt = clock.instant().plus(wait);
        batch.retryError = error;
    }

    private void giveUp(Outbox.Entry entry, Ticket ticket, String error, Batch batch) {
        batch.done.add(entry.id());
        log.warn("{}: a {} message could not be delivered to Slack: {}", ticket.key(), entry.kind(), error);
        if (entry.kind() == Outbox.Kind.STATUS && ticket.messageTs() == null && entry.actor() != null
                && !TicketEvent.SYSTEM.equals(entry.actor()) && !TicketEvent.CUSTOMER.equals(entry.actor())) {
            batch.privateNoteFor = entry.actor();
            batch.privateNote = ticket.key() + " (" + ticket.details().customer() + ") was saved, but its status "
                    + "message could not be posted in the channel: " + error;
        }
    }

    static Duration backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(20, attempt - 1);
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), millis));
    }

    @Override
    public void close() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
