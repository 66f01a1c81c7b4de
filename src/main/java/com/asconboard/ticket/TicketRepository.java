package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where tickets and their audit trail are kept. */
public interface TicketRepository {
    /** A new onboarding ticket, owned by {@code createdBy}. */
    Ticket create(String workspaceId, String channelId, String createdBy, TicketDetails details, Instant at);

    Optional<Ticket> find(long id);

    /**
     * Locks the ticket's row until the calling transaction ends and returns the ticket as it is then: every
     * change to a ticket, on any instance, starts here, so a ticket's changes happen one after another.
     */
    Optional<Ticket> lock(long id);

    /** Open (onboarding or active) tickets of one channel (of the whole workspace when null), newest first. */
    List<Ticket> findOpen(String workspaceId, String channelId, int limit);

    /** Open tickets of these channels of the workspace (every channel's when {@code channelIds} is null), newest first. */
    List<Ticket> findOpenIn(String workspaceId, java.util.Set<String> channelIds);

    int countOpen(String workspaceId, String channelId);

    /** Replaces the details and counts the change in {@link Ticket#detailsVersion()}. */
    void updateDetails(long id, TicketDetails details, Instant at);

    void setMessageTs(long id, String messageTs);

    /**
     * Ends the ticket ({@link Lifecycle#CLOSED} or {@link Lifecycle#OFFBOARDED}) if it is in state {@code from};
     * false when it was not.
     */
    boolean end(long id, Lifecycle from, Lifecycle to, String by, Instant at);

    /** Makes an onboarding ticket active; false when it was not onboarding. */
    boolean activate(long id, Instant at);

    /** Onboarding tickets holding a verification report: those whose steps all passed become active. */
    List<Long> onboardingWithReport();

    /** Makes {@code owner} the ticket's owner; counted in {@link Ticket#detailsVersion()} like a details change. */
    void setOwner(long id, String owner, Instant at);

    /** Notes that what the status message shows changed: App Home views published before are refreshed. */
    void touch(long id, Instant at);

    /** Whether any ticket of the workspace changed at or after {@code since}. */
    boolean changedSince(String workspaceId, Instant since);

    /** The ticket's upload link that is active (issued, not used, revoked, locked or expired), if any. */
    Optional<PendingLink> activeLink(long id);

    /** Tickets that may be waiting on the customer: onboarding ones, and open ones with an active upload link. */
    List<Long> mayAwaitCustomer();

    /**
     * Records that the waiting period {@code period} of the ticket was reminded: true exactly once per period,
     * however many instances ask, in the transaction that queues the reminder.
     */
    boolean claimReminder(long id, String period, Instant at);

    /** Whether the waiting period {@code period} of the ticket was reminded already. */
    boolean reminded(long id, String period);

    /** Whether Apple verified the ticket's current key at least once (a verification since it arrived passed). */
    boolean currentKeyVerified(long id);

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
