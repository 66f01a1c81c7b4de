package com.asconboard.ticket;

import com.asconboard.logging.LogContext;
import com.asconboard.metrics.BotMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the notifier. Each message is one transaction: claim the oldest due message of a
 * ticket no one else is delivering ({@code FOR UPDATE SKIP LOCKED}), deliver it, delete it (or plan its
 * retry), commit. So any number of workers on any number of instances deliver each message once and each
 * ticket's messages in order; only the one message in flight when an instance dies may be delivered twice.
 * A retryable failure (Slack down, rate limited, a timeout) keeps the message at the head of its ticket's
 * queue and tries again with backoff, honouring Retry-After.
 */
public final class OutboxDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** About a day of retries at the longest backoff; past that the message is dropped and logged. */
    static final int MAX_ATTEMPTS = 300;
    /** How often an idle worker looks for messages other instances queued. */
    static final Duration POLL = Duration.ofMillis(500);

    private final Outbox outbox;
    private final TicketRepository tickets;
    private final TicketNotifier notifier;
    private final Transactions transactions;
    private final SealedText sealed;
    private final Clock clock;
    private final int workers;
    private final BotMetrics metrics;
    private final Object signal = new Object();
    /** Wake-ups not yet taken by a worker; guarded by {@code signal}. */
    private int wakeUps;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    /** {@code clock} paces retries (the database's clock when several instances share the outbox). */
    public OutboxDelivery(Outbox outbox, TicketRepository tickets, TicketNotifier notifier, Transactions transactions,
            SealedText sealed, Clock clock, int workers, BotMetrics metrics) {
        this.metrics = metrics;
        this.outbox = outbox;
        this.tickets = tickets;
        this.notifier = notifier;
        this.transactions = transactions;
        this.sealed = sealed;
        this.clock = clock;
        this.workers = workers;
    }

    public synchronized void start() {
        running = true;
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(this::loop, "slack-outbox-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Something new waits: deliver it now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            wakeUps = workers;
            signal.notifyAll();
        }
    }

    public int pending() {
        return outbox.pending();
    }

    /** Delivers every message that is due now, in order per ticket; returns how many were taken. */
    public int deliverDue() {
        int taken = 0;
        while (deliverOne()) {
            taken++;
        }
        return taken;
    }

    private void loop() {
        while (running) {
            boolean delivered;
            try {
                delivered = deliverOne();
            } catch (RuntimeException e) {
                log.warn("delivering Slack messages failed: {}", e.toString());
                delivered = false;
            }
            if (!delivered) {
                idle();
            }
        }
    }

    private void idle() {
        synchronized (signal) {
            if (wakeUps > 0) {
                wakeUps--;
                return;
            }
            try {
                signal.wait(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            if (wakeUps > 0) {
                wakeUps--;
            }
        }
    }

    /** Delivers the next due message, if any, in its own transaction; false when none was due. */
    boolean deliverOne() {
        return transactions.inTransaction(() -> {
            Optional<Outbox.Entry> next = outbox.claimDue();
            if (next.isEmpty()) {
                return false;
            }
            Outbox.Entry entry = next.get();
            Ticket ticket = tickets.find(entry.ticketId()).orElse(null);
            if (ticket == null) {
                outbox.delivered(entry.id());
            } else {
                try (LogContext context = LogContext.forTicket(ticket.id())) {
                    metrics.slackDelivery(deliver(entry, ticket));
                }
            }
            return true;
        });
    }

    /** Delivers one message and records the outcome in the claiming transaction. */
    private BotMetrics.Delivery deliver(Outbox.Entry entry, Ticket ticket) {
        try {
            switch (entry.kind()) {
                case STATUS -> {
                    if (ticket.messageTs() == null) {
                        tickets.setMessageTs(ticket.id(), notifier.postStatus(ticket));
                    } else if (!outbox.laterStatusWaits(ticket.id(), entry.id())) {
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
                case EPHEMERAL -> notifier.reply(ticket, entry.actor(), entry.detail());
                case LINK -> notifier.showUploadLink(ticket, entry.actor(), sealed.open(ticket.id(), entry.sealed()),
                        Instant.parse(entry.detail().split(" ")[0]), entry.detail().endsWith(" replaces-key"));
            }
            outbox.delivered(entry.id());
            return BotMetrics.Delivery.DELIVERED;
        } catch (DeliveryException e) {
            if (e.retryable() && entry.attempts() + 1 < MAX_ATTEMPTS) {
                Duration wait = backoff(entry.attempts() + 1);
                if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                    wait = e.retryAfter();
                }
                outbox.retryLater(entry.id(), clock.instant().plus(wait), e.getMessage());
                log.info("{}: Slack did not take a message ({}); trying again in {} s", ticket.key(), e.getMessage(),
                        wait.toSeconds());
                return BotMetrics.Delivery.RETRIED;
            }
            giveUp(entry, ticket, e.getMessage());
            return BotMetrics.Delivery.FAILED;
        } catch (RuntimeException e) {
            outbox.retryLater(entry.id(), clock.instant().plus(backoff(entry.attempts() + 1)), e.toString());
            log.warn("{}: delivering a message failed: {}", ticket.key(), e.toString());
            return BotMetrics.Delivery.RETRIED;
        }
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

    /** Stops the workers; a message being delivered finishes, what waits stays in the outbox. */
    @Override
    public void close() {
        running = false;
        wake();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
