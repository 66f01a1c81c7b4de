package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where tickets and their audit trail are kept. */
public interface TicketRepository {
    Ticket create(String workspaceId, String channelId, String createdBy, TicketDetails details, Instant at);

    Optional<Ticket> find(long id);

    /**
     * Locks the ticket's row until the calling transaction ends and returns the ticket as it is then: every
     * change to a ticket, on any instance, starts here, so a ticket's changes happen one after another.
     */
    Optional<Ticket> lock(long id);

    /** Open tickets of one channel (of the whole workspace when {@code channelId} is null), newest first. */
    List<Ticket> findOpen(String workspaceId, String channelId, int limit);

    int countOpen(String workspaceId, String channelId);

    /** Replaces the details and counts the change in {@link Ticket#detailsVersion()}. */
    void updateDetails(long id, TicketDetails details, Instant at);

    void setMessageTs(long id, String messageTs);

    /** Closes the ticket if it is open; false when it already was closed. */
    boolean close(long id, String closedBy, Instant at);

    void append(TicketEvent event);

    /** Shows the ticket as being verified until {@link #finishVerification}. */
    void markVerifying(long id);

    /** Stores a finished verification's report as the ticket's latest and in its history. */
    void finishVerification(long id, String startedBy, VerificationReport report, Instant at);

    /**
     * Stores a watch round's report as the ticket's latest, leaving a verification in progress shown as such;
     * into the history only when {@code keepInHistory} (something changed since the last report).
     */
    void recordWatchReport(long id, VerificationReport report, Instant at, boolean keepInHistory);

    void confirmAccess(long id, String userId, Instant at);

    /** Records that the key arrived (when, from which address) and fills in the Key ID if the ticket had none. */
    void keyReceived(long id, Instant at, String from, String keyId);

    /** Marks whether a certificate job is queued or running for the ticket. */
    void setCertificatePending(long id, boolean pending);

    /**
     * Tickets shown as being verified with no verification job (left so by a version that kept jobs in memory,
     * or by a job's last failed try): they are verified again.
     */
    List<Long> verifyingWithoutJob();

    /** How many tickets are in each state, for the operators' metrics. */
    java.util.Map<String, Long> countByState();

    /** The audit trail of one ticket, oldest first. */
    List<TicketEvent> events(long ticketId);
}
