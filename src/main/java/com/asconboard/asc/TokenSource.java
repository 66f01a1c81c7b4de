package com.asconboard.asc;

/** Supplies the bearer token for App Store Connect requests. */
public interface TokenSource {
    /** A currently valid token; the same one is returned until shortly before it expires. */
    String token();

    /** Forgets the current token, so the next {@link #token()} signs a fresh one. */
    void renew();
}
