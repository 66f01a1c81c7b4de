package com.asconboard.certs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where the vendor's certificates, the requests for them and the watcher's findings are kept. */
public interface CertificateRepository {
    /** A certificate as Apple issued it. */
    record Issued(String ascId, String serial, String name, Instant expiresAt, byte[] der) {
    }

    /** A stored certificate with its content, for export. */
    record Stored(long id, long ticketId, String serial, Instant expiresAt, String status, byte[] der) {
    }

    /**
     * A request recorded before Apple was asked: the CSR sent (or to send) and the SHA-256 of its public key,
     * by which Apple's answer is recognised if the instance that asked died before storing it.
     */
    record Request(long id, long ticketId, String csr, String publicKeySha256, String requestedBy, String reason) {
    }

    /**
     * Stores a new certificate, makes it the ticket's current one, marks the previous current one replaced
     * and clears the ticket's certificate problem — in the caller's transaction. Its private key is stored
     * by the caller under {@link CertificateService#keyPurpose(String)}.
     */
    long add(long ticketId, Issued certificate, String createdBy, Instant at);

    /** The ticket's current certificate with its content, if any. */
    Optional<Stored> current(long ticketId);

    /** Records why the last attempt to create a certificate failed (null clears it). */
    void setProblem(long ticketId, String problem);

    void markRevoked(long certificateId);

    /** Expiry warnings already posted for a certificate, as days before expiry. */
    Set<Integer> alertsSent(long certificateId);

    /**
     * Records that the warnings {@code days} were posted, if no one recorded others since {@code seen} was
     * read: true exactly once per warning, however many instances look.
     */
    boolean claimAlerts(long certificateId, Set<Integer> seen, Set<Integer> days);

    /** When the watcher last looked at a ticket, and what it found, for {@code /asc-onboard status}. */
    void recordWatch(long ticketId, Instant at, String result);

    /** A certificate the bot created in the customer's account, as Apple names it. */
    record Created(long id, String ascId, String serial) {
    }

    /** The ticket's certificates the bot created that may still hold a slot: not revoked, not expired at {@code now}. */
    List<Created> holdingSlots(long ticketId, Instant now);

    /** Active accounts that hold everything needed to check them. */
    List<Long> watchedTickets();

    /**
     * Watched tickets that have no watch job yet (opened before jobs existed, or whose job ended), each with
     * when it was last checked or else last changed: its next check is due an interval after that.
     */
    java.util.Map<Long, Instant> watchedWithoutJob();

    /** The ticket's request that Apple may have answered without the answer being stored. */
    Optional<Request> pendingRequest(long ticketId);

    long recordRequest(long ticketId, String csr, String publicKeySha256, String requestedBy, String reason,
            Instant at);

    /** Marks a request DONE or FAILED. */
    void finishRequest(long requestId, String state);
}
