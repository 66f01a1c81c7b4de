package com.asconboard.ticket;

import java.time.Instant;

/**
 * Slow work kept in the database until done, claimed by whichever instance is free: scheduled inside the
 * transaction that asks for it, so it exists exactly when that change was committed. A job whose instance
 * dies is taken over by another once its lease runs out.
 */
public interface Jobs {
    /** Verifies the ticket's key against App Store Connect; false when a verification is already queued. */
    boolean verify(long ticketId, String actor);

    /** Creates the vendor's distribution certificate; false when one is already queued for the ticket. */
    boolean createCertificate(long ticketId, String actor, String why);

    /**
     * Revokes at Apple the vendor's own certificates of an offboarded ticket (never another certificate), then
     * destroys the API key the revocation needed.
     */
    void revokeCertificates(long ticketId, String actor);

    /** Checks the account at {@code at}, unless a check is already planned; each check plans the next. */
    void watch(long ticketId, Instant at);
}
