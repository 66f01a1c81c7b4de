package com.asconboard.ticket;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminds a ticket's owner, in its thread, when it has waited on the customer for {@code REMINDER_AFTER} (the
 * upload link not used, the key not verified) or on the vendor user's invitation — earlier when the link or the
 * invitation expires within a day. Each waiting period is reminded once: the reminder is claimed by a
 * conditional insert in the transaction that queues it, with the ticket locked, so no second instance and no
 * restart sends it again. Runs with the housekeeping.
 */
public final class Reminders {
    private static final Logger log = LoggerFactory.getLogger(Reminders.class);

    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final Duration after;

    public Reminders(TicketChanges changes, Duration after) {
        this.changes = changes;
        this.tickets = changes.tickets();
        this.after = after;
    }

    /** Sends the reminders due now; returns how many. */
    public int sendDue() {
        int sent = 0;
        for (long id : tickets.mayAwaitCustomer()) {
            try {
                Waiting.Reminder reminder = due(tickets.find(id).orElse(null));
                // Read first, so that a period reminded already costs no lock; the claim below decides.
                if (reminder != null && !tickets.reminded(id, reminder.period()) && changes.apply(id, this::remind)) {
                    sent++;
                }
            } catch (RuntimeException e) {
                log.warn("{}{}: reminder failed: {}", Ticket.PREFIX, id, e.toString());
            }
        }
        return sent;
    }

    /** With the ticket locked: the reminder, if it is still due and no one sent it. */
    private boolean remind(Ticket ticket) {
        Waiting.Reminder reminder = due(ticket);
        if (reminder == null || !tickets.claimReminder(ticket.id(), reminder.period(), changes.now())) {
            return false;
        }
        changes.record(ticket, TicketEvent.SYSTEM, TicketEvent.Kind.REMINDER, "reminder: " + reminder.nextStep());
        log.info("{}: reminded its owner ({})", ticket.key(), reminder.period());
        return true;
    }

    private Waiting.Reminder due(Ticket ticket) {
        if (ticket == null || !ticket.isOpen()) {
            return null;
        }
        Instant now = changes.now();
        Waiting waiting = Waiting.of(ticket, tickets.activeLink(ticket.id()).orElse(null), after, now);
        Waiting.Reminder reminder = waiting.reminder();
        return reminder != null && !now.isBefore(reminder.due()) ? reminder : null;
    }
}
