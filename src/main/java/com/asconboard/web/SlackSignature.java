package com.asconboard.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature ({@code X-Slack-Signature: v0=<HMAC-SHA256 of "v0:<timestamp>:<body>">}),
 * checked here before a body is parsed. Bolt checks it again, but only after it has parsed the body,
 * over the body re-encoded as text, and it accepts any timestamp in the future; here the raw bytes are
 * checked and a request dated more than {@link #MAX_SKEW} away from now in either direction is refused.
 */
final class SlackSignature {
    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    /** Slack's own rule for replays; the same bound for clocks ahead. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("v0=[0-9a-f]{64}");

    private final SecretKeySpec key;

    SlackSignature(String signingSecret) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Whether the headers can belong to a request Slack signed now: both present, well-formed, and the
     * timestamp within {@link #MAX_SKEW} of {@code now}. Needs no body, so it is checked before one is read.
     */
    static boolean hasCurrentHeaders(String timestamp, String signature, Instant now) {
        if (timestamp == null || signature == null || !TIMESTAMP.matcher(timestamp).matches()
                || !SIGNATURE.matcher(signature).matches()) {
            return false;
        }
        long skew = Math.abs(now.getEpochSecond() - Long.parseLong(timestamp));
        return skew <= MAX_SKEW.toSeconds();
    }

    /** Whether {@code signature} is Slack's signature of exactly these bytes; compared in constant time. */
    boolean matches(String timestamp, byte[] body, int length, String signature) {
        if (timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
            mac.update(body, 0, length);
            byte[] expected = ("v0=" + HexFormat.of().formatHex(mac.doFinal())).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
