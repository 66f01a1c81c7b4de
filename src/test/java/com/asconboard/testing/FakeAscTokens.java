package com.asconboard.testing;

import com.asconboard.testing.FakeAsc.Rejection;
import com.asconboard.testing.FakeAsc.Rejection.Reason;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bearer-token check Apple applies to every App Store Connect request, with the reason for each
 * refusal kept so tests can tell a wrong audience from an expired token (Apple answers both alike).
 */
final class FakeAscTokens {

    static final String AUDIENCE = "appstoreconnect-v1";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(20);
    static final Duration FUTURE_IAT_ALLOWANCE = Duration.ofMinutes(1);

    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    /** Finds registered keys; individual keys are found by key id alone, as their tokens carry no issuer. */
    interface Keys {
        FakeAsc.Key find(String issuerId, String keyId);

        FakeAsc.Key findIndividual(String keyId);

        boolean knowsKeyId(String keyId);
    }

    /** The verdict plus what the token said, decoded without trusting it, for the request log. */
    record Outcome(FakeAsc.Key key, Rejection rejection, Map<String, Object> header, Map<String, Object> claims,
                   String tokenId) {
    }

    private FakeAscTokens() {
    }

    static Outcome check(String authorization, Keys keys, Clock clock) {
        if (authorization == null || authorization.isBlank()) {
            return refused(Reason.NO_TOKEN, "no Authorization header", Map.of(), Map.of(), null);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refused(Reason.NO_TOKEN, "Authorization is not a Bearer token", Map.of(), Map.of(), null);
        }
        String token = authorization.substring(7).strip();
        String tokenId = tokenId(token);
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return refused(Reason.MALFORMED, "a signed JWT has three dot-separated parts, this has " + parts.length,
                    Map.of(), Map.of(), tokenId);
        }
        Map<String, Object> header = decode(parts[0]);
        Map<String, Object> claims = decode(parts[1]);
        if (header == null || claims == null) {
            return refused(Reason.MALFORMED, "header or payload is not base64url-encoded JSON",
                    header == null ? Map.of() : header, claims == null ? Map.of() : claims, tokenId);
        }
        Object alg = header.get("alg");
        if (!"ES256".equals(alg)) {
            return refused(Reason.ALGORITHM, "alg must be ES256, was " + alg, header, claims, tokenId);
        }
        if (header.containsKey("typ") && !"JWT".equals(header.get("typ"))) {
            return refused(Reason.TYPE, "typ must be JWT when present, was " + header.get("typ"), header, claims, tokenId);
        }
        if (!(header.get("kid") instanceof String kid) || kid.isEmpty()) {
            return refused(Reason.UNKNOWN_KEY, "no kid in the header", header, claims, tokenId);
        }
        FakeAsc.Key key;
        if (claims.get("iss") instanceof String issuer) {
            key = keys.find(issuer, kid);
            if (key == null) {
                String why = keys.knowsKeyId(kid)
                        ? "kid " + kid + " is not registered under issuer " + issuer
                        : "no key with kid " + kid;
                return refused(Reason.UNKNOWN_KEY, why, header, claims, tokenId);
            }
        } else if ("user".equals(claims.get("sub"))) {
            key = keys.findIndividual(kid);
            if (key == null) {
                return refused(Reason.UNKNOWN_KEY, "no individual key with kid " + kid
                        + " (tokens without iss are for individual keys only)", header, claims, tokenId);
            }
        } else {
            return refused(Reason.NO_ISSUER, "no iss claim (and no sub=user of an individual key)", header, claims, tokenId);
        }
        if (key.isRevoked()) {
            return refused(Reason.KEY_REVOKED, "key " + kid + " has been revoked", header, claims, tokenId);
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return refused(Reason.MALFORMED, "signature is not base64url", header, claims, tokenId);
        }
        if (signature.length != 64) {
            // JWS wants R||S; Java's SHA256withECDSA gives DER, a common cause of Apple's 401.
            return refused(Reason.SIGNATURE, "ES256 signature must be 64 bytes (R||S), was " + signature.length
                    + (signature.length > 0 && signature[0] == 0x30 ? " (DER-encoded?)" : ""), header, claims, tokenId);
        }
        Claims verified;
        try {
            verified = Jwts.parser()
                    .verifyWith(key.publicKey())
                    .clock(() -> Date.from(clock.instant()))
                    .build()
                    .parseSignedClaims(token)
                    .getPayload();
        } catch (ExpiredJwtException e) {
            // Thrown only after the signature verified; the claim checks below name the problem.
            verified = e.getClaims();
        } catch (PrematureJwtException e) {
            return refused(Reason.NOT_YET_VALID, "nbf is in the future", header, claims, tokenId);
        } catch (io.jsonwebtoken.security.SignatureException e) {
            return refused(Reason.SIGNATURE, "signature does not verify with the registered key", header, claims, tokenId);
        } catch (JwtException | IllegalArgumentException e) {
            return refused(Reason.MALFORMED, "token rejected by the JWT parser: " + e.getMessage(), header, claims, tokenId);
        }
        Set<String> audience = verified.getAudience();
        if (audience == null || !audience.contains(AUDIENCE)) {
            return refused(Reason.AUDIENCE, "aud must be " + AUDIENCE + ", was " + claims.get("aud"), header, claims, tokenId);
        }
        Date issuedAt = verified.getIssuedAt();
        Date expiration = verified.getExpiration();
        if (issuedAt == null) {
            return refused(Reason.NO_ISSUED_AT, "no iat claim", header, claims, tokenId);
        }
        if (expiration == null) {
            return refused(Reason.NO_EXPIRATION, "no exp claim", header, claims, tokenId);
        }
        Instant iat = issuedAt.toInstant();
        Instant exp = expiration.toInstant();
        Instant now = clock.instant();
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            return refused(Reason.LIFETIME_TOO_LONG, "exp - iat is " + Duration.between(iat, exp).toSeconds()
                    + " s, at most " + MAX_LIFETIME.toSeconds() + " s are allowed", header, claims, tokenId);
        }
        if (!exp.isAfter(now)) {
            return refused(Reason.EXPIRED, "token expired at " + exp + ", now is " + now, header, claims, tokenId);
        }
        if (iat.isAfter(now.plus(FUTURE_IAT_ALLOWANCE))) {
            return refused(Reason.ISSUED_IN_FUTURE, "iat " + iat + " is more than "
                    + FUTURE_IAT_ALLOWANCE.toSeconds() + " s after now (" + now + ")", header, claims, tokenId);
        }
        return new Outcome(key, null, header, claims, tokenId);
    }

    private static Outcome refused(Reason reason, String detail, Map<String, Object> header, Map<String, Object> claims,
                                   String tokenId) {
        return new Outcome(null, new Rejection(reason, detail), header, claims, tokenId);
    }

    private static Map<String, Object> decode(String part) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
            Map<String, Object> map = GSON.fromJson(json, new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
            return map == null ? null : Collections.unmodifiableMap(map);
        } catch (IllegalArgumentException | JsonParseException e) {
            return null;
        }
    }

    /** A short digest, so logs can tell tokens apart without holding a usable token. */
    private static String tokenId(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
