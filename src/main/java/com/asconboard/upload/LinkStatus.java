package com.asconboard.upload;

/**
 * Where an upload link is in its life. Only an {@link #ACTIVE} link, before its expiry, takes an upload.
 * {@link #CHECKING}: a key came through and Apple is being asked about it; the verdict spends the link
 * ({@link #USED}) or, when Apple rejects the key, opens it again for a corrected one.
 */
public enum LinkStatus {
    ACTIVE, USED, REVOKED, LOCKED, EXPIRED, CHECKING
}
