package com.asconboard.ticket;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onboarding flow: opens, edits and closes tickets, records every change in the audit trail
 * and queues it to be shown. Changes to one ticket are serialised so its messages stay in order.
 */
public final class OnboardingService {
    private static final Logger log = LoggerFactory.getLogger(OnboardingService.class);
    public static final int LIST_LIMIT = 50;

    private final TicketRepository tickets;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Runnable wake;
    private final Clock clock;
    /** Striped, so that memory does not grow with the number of tickets. */
    private final Object[] locks = new Object[256];

    /**
     * {@code wake} tells the outbox's delivery that something new waits. Each change, its audit event
     * and its messages are committed in one transaction.
     */
    public OnboardingService(TicketRepository tickets, Outbox outbox, Transactions transactions, Runnable wake,
            Clock clock) {
        this.tickets = tickets;
        this.outbox = outbox;
        this.transactions = transactions;
        this.wake = wake;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Creates a ticket and posts its status message in {@code channelId}. */
    public Ticket open(String workspaceId, String channelId, String actor, TicketDetails details) {
        return openAll(List.of(new Opening(workspaceId, channelId, actor, details))).get(0);
    }

    /**
     * Creates these tickets, in this order, in one transaction: each commit writes to the database
     * file, so a burst of forms costs one write instead of one each. All are created or none.
     */
    public List<Ticket> openAll(List<Opening> openings) {
        if (openings.isEmpty()) {
            return List.of();
        }
        List<Ticket> opened = transactions.inTransaction(() -> {
            List<Ticket> created = new ArrayList<>(openings.size());
            for (Opening o : openings) {
                Ticket ticket = tickets.create(o.workspaceId(), o.channelId(), o.actor(), o.details(), clock.instant());
                queue(ticket, record(ticket, o.actor(), TicketEvent.Kind.OPENED,
                        "opened " + ticket.key() + " for " + o.details().customer()), o.actor());
                created.add(ticket);
            }
            return created;
        });
        wake.run();
        for (Ticket ticket : opened) {
            log.info("{} opened in workspace {} channel {}", ticket.key(), ticket.workspaceId(), ticket.channelId());
        }
        return opened;
    }

    /**
     * Replaces the ticket's details. Returns the updated ticket, or empty when nothing changed.
     *
     * @throws TicketClosedException when the ticket is closed
     */
    public Optional<Ticket> editDetails(String workspaceId, long id, String actor, TicketDetails details) {
        synchronized (lockFor(id)) {
            Ticket before = get(workspaceId, id);
            if (!before.isOpen()) {
                throw new TicketClosedException(before);
            }
            List<String> changes = describeChanges(before.details(), details);
            if (changes.isEmpty()) {
                return Optional.empty();
            }
            Ticket after = transactions.inTransaction(() -> {
                tickets.updateDetails(id, details, clock.instant());
                Ticket updated = get(workspaceId, id);
                queue(updated, record(updated, actor, TicketEvent.Kind.DETAILS_EDITED,
                        "updated the details: " + String.join("; ", changes)), actor);
                return updated;
            });
            wake.run();
            return Optional.of(after);
        }
    }

    /** Closes the ticket; its state is kept and it takes no more actions. Closing twice is harmless. */
    public Ticket close(String workspaceId, long id, String actor) {
        synchronized (lockFor(id)) {
            get(workspaceId, id);
            Optional<Ticket> closed = transactions.inTransaction(() -> {
                if (!tickets.close(id, actor, clock.instant())) {
                    return Optional.empty();
                }
                Ticket after = get(workspaceId, id);
                queue(after, record(after, actor, TicketEvent.Kind.CLOSED, "closed " + after.key()), actor);
                return Optional.of(after);
            });
            if (closed.isEmpty()) {
                return get(workspaceId, id);
            }
            wake.run();
            return closed.get();
        }
    }

    /**
     * Records something that happened to a ticket outside the Slack flow (an upload, a link expiring)
     * and shows it: the status message is brought up to date and the event goes to its thread.
     */
    public void note(long id, String actor, TicketEvent.Kind kind, String detail) {
        synchronized (lockFor(id)) {
            transactions.inTransaction(() -> {
                Ticket ticket = tickets.find(id).orElseThrow(() -> new TicketNotFoundException(id));
                queue(ticket, record(ticket, actor, kind, detail), null);
                return ticket;
            });
            wake.run();
        }
    }

    /** Records that an engineer confirmed step 1 by hand, where the key may not read the account's users. */
    public Ticket confirmAccess(String workspaceId, long id, String actor) {
        synchronized (lockFor(id)) {
            Ticket ticket = get(workspaceId, id);
            if (!ticket.isOpen()) {
                throw new TicketClosedException(ticket);
            }
            Ticket after = transactions.inTransaction(() -> {
                tickets.confirmAccess(id, actor, clock.instant());
                Ticket confirmed = get(workspaceId, id);
                queue(confirmed, record(confirmed, actor, TicketEvent.Kind.ACCESS_CONFIRMED,
                        "confirmed that the customer invited the vendor user with certificate access"), actor);
                return confirmed;
            });
            wake.run();
            return after;
        }
    }

    /** The ticket with this number, whatever its workspace: for callers that hold a capability to it. */
    public Ticket get(long id) {
        return tickets.find(id).orElseThrow(() -> new TicketNotFoundException(id));
    }

    /** The ticket with this number in this workspace. */
    public Ticket get(String workspaceId, long id) {
        return tickets.find(id)
                .filter(t -> t.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new TicketNotFoundException(id));
    }

    /** Open tickets of the workspace, newest first, at most {@link #LIST_LIMIT}. */
    public List<Ticket> openTickets(String workspaceId) {
        return tickets.findOpen(workspaceId, LIST_LIMIT);
    }

    public int countOpen(String workspaceId) {
        return tickets.countOpen(workspaceId);
    }

    public List<TicketEvent> history(String workspaceId, long id) {
        get(workspaceId, id);
        return tickets.events(id);
    }

    private TicketEvent record(Ticket ticket, String actor, TicketEvent.Kind kind, String detail) {
        TicketEvent event = new TicketEvent(ticket.id(), clock.instant(), actor, kind, detail);
        tickets.append(event);
        return event;
    }

    /**
     * Queues a change to be shown: the status message is brought up to date and the event goes to its
     * thread, through the outbox, so a chat outage delays the message but never loses it. The caller
     * wakes the delivery once the transaction is committed.
     */
    private void queue(Ticket ticket, TicketEvent event, String actor) {
        Instant now = clock.instant();
        outbox.add(ticket.id(), Outbox.Kind.STATUS, actor, null, null, now);
        outbox.add(ticket.id(), Outbox.Kind.EVENT, event.actor(), event.kind().name(), event.detail(), now);
    }

    private Object lockFor(long id) {
        return locks[(int) Math.floorMod(id, (long) locks.length)];
    }

    static List<String> describeChanges(TicketDetails before, TicketDetails after) {
        List<String> changes = new ArrayList<>();
        change(changes, Field.CUSTOMER, before.customer(), after.customer());
        change(changes, Field.TEAM_NAME, before.teamName(), after.teamName());
        change(changes, Field.TEAM_ID, before.teamId(), after.teamId());
        change(changes, Field.ISSUER_ID, before.issuerId(), after.issuerId());
        change(changes, Field.KEY_ID, before.keyId(), after.keyId());
        return changes;
    }

    private static void change(List<String> changes, Field field, String before, String after) {
        if (!Objects.equals(before, after)) {
            changes.add(field.label() + " " + (before == null ? "(none)" : before) + " → "
                    + (after == null ? "(none)" : after));
        }
    }
}
