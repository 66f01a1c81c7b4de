package com.asconboard.ticket;

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

    /** Tells one person privately that something about the ticket could not be shown to the channel. */
    void tellPrivately(Ticket ticket, String userId, String text);
}
