package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where tickets and their audit trail are kept. */
public interface TicketRepository {
    Ticket create(String workspaceId, String channelId, String createdBy, TicketDetails details, Instant at);

    Optional<Ticket> find(long id);

    /** Open tickets of one workspace, newest first. */
    List<Ticket> findOpen(String workspaceId, int limit);

    int countOpen(String workspaceId);

    void updateDetails(long id, TicketDetails details, Instant at);

    void setMessageTs(long id, String messageTs);

    /** Closes the ticket if it is open; false when it already was closed. */
    boolean close(long id, String closedBy, Instant at);

    void append(TicketEvent event);

    /** Marks a verification as running; false when one already is. */
    boolean startVerification(long id);

    /** Stores a finished verification's report as the ticket's latest and in its history. */
    void finishVerification(long id, String startedBy, VerificationReport report, Instant at);

    /** Tickets left marked as verifying (e.g. by a crash), to be verified again. */
    List<Long> verifyingTickets();

    void confirmAccess(long id, String userId, Instant at);

    /** The audit trail of one ticket, oldest first. */
    List<TicketEvent> events(long ticketId);
}
