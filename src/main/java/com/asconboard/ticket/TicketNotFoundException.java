package com.asconboard.ticket;

/** No ticket with that number exists in the workspace asked about. */
public final class TicketNotFoundException extends RuntimeException {
    public TicketNotFoundException(long id) {
        super("There is no ticket " + Ticket.PREFIX + id + " in this workspace.");
    }
}
