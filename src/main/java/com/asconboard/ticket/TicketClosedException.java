package com.asconboard.ticket;

/** The ticket was closed or offboarded, so it takes no more changes. */
public final class TicketClosedException extends RuntimeException {
    public TicketClosedException(Ticket ticket) {
        super(ticket.key() + " is " + ticket.lifecycle().label()
                + "; open a new onboarding with /asc-onboard to start again.");
    }
}
