package com.asconboard.ticket;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a ticket changes, on any instance: one short transaction that locks the ticket's row, makes
 * the change, appends its audit event and queues what Slack should show (and any job the change asks for),
 * all committed together. After the commit, local workers are woken; other instances find the rows by
 * polling.
 */
public final class TicketChanges {
    private final TicketRepository tickets;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final List<Runnable> afterCommit;
    private final List<Settler> settlers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs at the end of every change, inside its transaction, e.g. to make a ticket active once its steps pass. */
    @FunctionalInterface
    public interface Settler {
        /** {@code before} is the ticket as the change found it, locked; read it again to see the change. */
        void settle(Ticket before);
    }

    /** {@code afterCommit} wake the outbox delivery and the job runner of this instance. */
    public TicketChanges(TicketRepository tickets, Outbox outbox, Transactions transactions, Clock clock,
            List<Runnable> afterCommit) {
        this.tickets = tickets;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.afterCommit = List.copyOf(afterCommit);
    }

    /**
     * Runs {@code change} on the ticket, locked, in one transaction.
     *
     * @throws TicketNotFoundException when there is no such ticket
     */
    public <T> T apply(long ticketId, Function<Ticket, T> change) {
        return inTransaction(() -> {
            Ticket before = tickets.lock(ticketId).orElseThrow(() -> new TicketNotFoundException(ticketId));
            T result = change.apply(before);
            settlers.forEach(s -> s.settle(before));
            return result;
        });
    }

    /** Adds a step run at the end of every {@link #apply}. */
    public void settleWith(Settler settler) {
        settlers.add(settler);
    }

    /** Runs {@code work} in one transaction (e.g. creating a ticket), then wakes the workers. */
    public <T> T inTransaction(Supplier<T> work) {
        T result = transactions.inTransaction(work);
        afterCommit.forEach(Runnable::run);
        return result;
    }

    /** Appends an event to the audit trail and queues it for the thread, with the status message brought up to date. */
    public TicketEvent record(Ticket ticket, String actor, TicketEvent.Kind kind, String detail) {
        Instant now = clock.instant();
        TicketEvent event = new TicketEvent(ticket.id(), now, actor, kind, detail);
        tickets.append(event);
        tickets.touch(ticket.id(), now);
        outbox.add(ticket.id(), Outbox.Kind.STATUS, actor, null, null, now);
        outbox.add(ticket.id(), Outbox.Kind.EVENT, event.actor(), event.kind().name(), event.detail(), now);
        return event;
    }

    /** Brings the status message up to date without a thread message (e.g. "verifying…" cleared). */
    public void refresh(Ticket ticket) {
        Instant now = clock.instant();
        tickets.touch(ticket.id(), now);
        outbox.add(ticket.id(), Outbox.Kind.STATUS, null, null, null, now);
    }

    /** Tells one user, in the ticket's channel and only them, something about the ticket. */
    public void reply(Ticket ticket, String userId, String text) {
        if (userId != null && text != null) {
            outbox.add(ticket.id(), Outbox.Kind.EPHEMERAL, userId, null, text, clock.instant());
        }
    }

    /** Like {@link #reply}, for a text that is a secret: it is kept sealed until it is delivered. */
    public void replySealed(Ticket ticket, String userId, Outbox.Kind kind, String detail, byte[] sealed) {
        outbox.addSealed(ticket.id(), kind, userId, detail, sealed, clock.instant());
    }

    public TicketRepository tickets() {
        return tickets;
    }

    public Instant now() {
        return clock.instant();
    }
}
