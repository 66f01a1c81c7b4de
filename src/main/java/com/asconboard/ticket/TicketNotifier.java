package com.asconboard.ticket;

import java.time.Instant;

/**
 * Tells people what happened to a ticket. The chat implementation keeps one status message per
 * ticket, updated in place, and a thread of events under it.
 */
public interface TicketNotifier {
    /** Posts the ticket's status message for the first time and returns its message id. */
    String postStatus(Ticket ticket);

    /** Brings the existing status message up to date. */
    void updateStatus(Ticket ticket);

    /** Adds one event to the status message's thread. */
    void postEvent(Ticket ticket, TicketEvent event);

    /** Tells one person privately (a direct message) something about the ticket. */
    void tellPrivately(Ticket ticket, String userId, String text);

    /** Tells one person, in the ticket's channel and visible only to them, something about the ticket. */
    void reply(Ticket ticket, String userId, String text);

    /** Shows the engineer who asked for it the ticket's new upload link; the link itself is shown nowhere else. */
    void showUploadLink(Ticket ticket, String userId, String url, Instant expiresAt, boolean replacesKey);
}
