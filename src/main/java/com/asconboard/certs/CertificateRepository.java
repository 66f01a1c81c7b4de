package com.asconboard.certs;

import com.asconboard.keys.Sealed;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where the vendor's certificates, their sealed private keys and the watcher's findings are kept. */
public interface CertificateRepository {
    /** A certificate as Apple issued it. */
    record Issued(String ascId, String serial, String name, Instant expiresAt, byte[] der) {
    }

    /** A stored certificate with its content, for export. */
    record Stored(long id, long ticketId, String serial, Instant expiresAt, String status, byte[] der) {
    }

    /**
     * Stores a new certificate and its sealed private key, makes it the ticket's current one and
     * marks the previous current one replaced, and clears the ticket's certificate problem — at once.
     */
    long add(long ticketId, Issued certificate, String keyPurpose, Sealed privateKey, String createdBy, Instant at);

    /** The ticket's current certificate with its content, if any. */
    Optional<Stored> current(long ticketId);

    /** Records why the last attempt to create a certificate failed (null clears it). */
    void setProblem(long ticketId, String problem);

    void markRevoked(long certificateId);

    /** Expiry warnings already posted for a certificate, as days before expiry. */
    Set<Integer> alertsSent(long certificateId);

    void addAlerts(long certificateId, Set<Integer> days);

    /** When the watcher last looked at a ticket, and what it found, for {@code /asc-onboard status}. */
    void recordWatch(long ticketId, Instant at, String result);

    /** Open tickets that hold everything needed to check the account. */
    List<Long> watchedTickets();
}
