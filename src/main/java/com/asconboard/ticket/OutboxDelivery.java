package com.asconboard.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Clock clock;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public OutboxDelivery(Outbox outbox, TicketRepository tickets, TicketNotifier notifier, Transactions transactions,
            Clock clock) {
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
            for (Outbox.Entry entry : heads) {
                if (deliver(entry)) {
                    progress++;
                }
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

    /** True when the entry left the queue (delivered, or dropped for good). */
    private boolean deliver(Outbox.Entry entry) {
        Ticket ticket = tickets.find(entry.ticketId()).orElse(null);
        if (ticket == null) {
            outbox.delivered(entry.id());
            return true;
        }
        try {
            switch (entry.kind()) {
                case STATUS -> {
                    String postedTs = status(entry, ticket);
                    if (postedTs != null) {
                        // The new message's ts and the entry's removal are one commit.
                        transactions.inTransaction(() -> {
                            tickets.setMessageTs(ticket.id(), postedTs);
                            outbox.delivered(entry.id());
                            return null;
                        });
                        return true;
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
            outbox.delivered(entry.id());
            return true;
        } catch (DeliveryException e) {
            if (e.retryable() && entry.attempts() + 1 < MAX_ATTEMPTS) {
                Duration wait = backoff(entry.attempts() + 1);
                if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                    wait = e.retryAfter();
                }
                outbox.retryLater(entry.id(), clock.instant().plus(wait), e.getMessage());
                log.info("{}: Slack did not take a message ({}); trying again in {} s", ticket.key(), e.getMessage(),
                        wait.toSeconds());
                return false;
            }
            giveUp(entry, ticket, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            outbox.retryLater(entry.id(), clock.instant().plus(backoff(entry.attempts() + 1)), e.toString());
            log.warn("{}: delivering a message failed: {}", ticket.key(), e.toString());
            return false;
        }
    }

    /** Posts or updates the status message; returns the ts of a newly posted one, else null. */
    private String status(Outbox.Entry entry, Ticket ticket) {
        if (ticket.messageTs() == null) {
            return notifier.postStatus(ticket);
        }
        if (!outbox.laterStatusWaits(entry)) {
            notifier.updateStatus(ticket);
        }
        return null;
    }

    private void giveUp(Outbox.Entry entry, Ticket ticket, String error) {
        outbox.delivered(entry.id());
        log.warn("{}: a {} message could not be delivered to Slack: {}", ticket.key(), entry.kind(), error);
        if (entry.kind() == Outbox.Kind.STATUS && ticket.messageTs() == null && entry.actor() != null
                && !TicketEvent.SYSTEM.equals(entry.actor()) && !TicketEvent.CUSTOMER.equals(entry.actor())) {
            outbox.add(ticket.id(), Outbox.Kind.PRIVATE, entry.actor(), null, ticket.key() + " ("
                    + ticket.details().customer() + ") was saved, but its status message could not be posted in the "
                    + "channel: " + error, clock.instant());
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
