package com.asconboard.upload;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where upload links live, with the few state changes that must be atomic. */
public interface UploadLinkRepository {
    /**
     * Stores a new active link and revokes the ticket's earlier ones that could still take a key (active, or
     * waiting for Apple's verdict), in one transaction.
     */
    UploadLink issue(long ticketId, String tokenHash, String createdBy, Instant createdAt, Instant expiresAt);

    Optional<UploadLink> findByTokenHash(String tokenHash);

    Optional<UploadLink> find(long linkId);

    /**
     * Counts a failed attempt on an active link and locks it when {@code limit} is reached.
     * Returns the link afterwards.
     */
    UploadLink recordFailure(long linkId, int limit);

    /**
     * Marks the link used if it is still active and unexpired, clearing the verdict on an earlier key, in the
     * caller's transaction (which stores the key with it). False when another upload got there first.
     */
    boolean consume(long linkId, Instant now, String ip);

    /** A link just used waits for Apple's verdict on the key, in the caller's transaction. */
    void startChecking(long linkId);

    /** The ticket's links waiting for Apple's verdict (normally one). */
    List<UploadLink> checking(long ticketId);

    /** The verdict spends a link that was waiting for it. False when it was no longer waiting. */
    boolean spend(long linkId, Verdict verdict);

    /**
     * Apple rejected the key: the link waiting for the verdict takes a corrected key again, with one more failed
     * attempt, or locks when that reaches {@code limit}. Returns the link afterwards, empty when it was no longer
     * waiting.
     */
    Optional<UploadLink> reopen(long linkId, Verdict verdict, String detail, int limit);

    /** Marks active links past their expiry as expired; returns only the ones this call changed. */
    List<UploadLink> expireDue(Instant now);

    /** True exactly once per link: the first time a use after its consumption is reported. */
    boolean claimLateUseNotice(long linkId);

    /** Deletes links that can no longer be used and ended before {@code before}; returns how many. */
    int pruneEndedBefore(Instant before);
}
