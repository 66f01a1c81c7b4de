package com.asconboard.upload;

/** Where an upload link is in its life. Only an {@link #ACTIVE} link, before its expiry, takes an upload. */
public enum LinkStatus {
    ACTIVE, USED, REVOKED, LOCKED, EXPIRED
}
