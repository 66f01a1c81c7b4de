package com.asconboard.upload;

import java.time.Instant;

/** A new upload link for one ticket. {@code url} holds the token: give it only to the engineer who asked. */
public record IssuedLink(String ticketKey, String customer, String url, Instant expiresAt, boolean replacesKey) {
    @Override
    public String toString() {
        return "IssuedLink[" + ticketKey + ", expires " + expiresAt + "]";
    }
}
