package com.asconboard.ticket;

/** Whether a ticket is still being worked on. Closed tickets keep their state but take no actions. */
public enum TicketStatus {
    OPEN, CLOSED
}
