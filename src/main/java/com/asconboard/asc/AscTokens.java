package com.asconboard.asc;

import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * ES256 tokens as App Store Connect wants them: header {@code kid} and {@code typ: JWT}; claims
 * {@code iss}, {@code aud: appstoreconnect-v1}, {@code iat} a little in the past (clock skew) and
 * {@code exp} 19 minutes later. One token is reused for about 15 minutes, then renewed.
 */
public final class AscTokens implements TokenSource {
    static final String AUDIENCE = "appstoreconnect-v1";
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration LIFETIME = Duration.ofMinutes(19);
    /** Renew this long before expiry so that no request carries a token about to lapse. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(4);

    private final AscCredentials credentials;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    public AscTokens(AscCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public synchronized String token() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(expires.minus(RENEW_BEFORE))) {
            Instant issued = now.minus(SKEW);
            expires = issued.plus(LIFETIME);
            token = Jwts.builder()
                    .header().keyId(credentials.keyId()).type("JWT").and()
                    .issuer(credentials.issuerId())
                    .audience().add(AUDIENCE).and()
                    .issuedAt(Date.from(issued))
                    .expiration(Date.from(expires))
                    .signWith(credentials.privateKey(), Jwts.SIG.ES256)
                    .compact();
        }
        return token;
    }

    @Override
    public synchronized void renew() {
        token = null;
    }

    @Override
    public String toString() {
        return "AscTokens[key " + credentials.keyId() + "]";
    }
}
