package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The secret of an upload link and the limit on refused uploads, each at its exact value: 256 random bits
 * that are never the same twice, 43 characters and no other length, stored as their SHA-256; an address is
 * held back at its 50th refusal in a window, not at its 49th, and free again the instant the window ends.
 */
class LinkSecretsTest {
    @Test
    void tokens_are_43_url_safe_characters_of_fresh_randomness_each_time() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = UploadToken.generate();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(UploadToken.isWellFormed(token)).isTrue();
            tokens.add(token);
        }
        assertThat(tokens).hasSize(100);
        assertThat(tokens).doesNotContain("A".repeat(43));
    }

    @Test
    void only_43_characters_of_the_url_safe_alphabet_make_a_token() {
        assertThat(UploadToken.isWellFormed("a".repeat(43))).isTrue();
        assertThat(UploadToken.isWellFormed("a".repeat(42))).isFalse();
        assertThat(UploadToken.isWellFormed("a".repeat(44))).isFalse();
        assertThat(UploadToken.isWellFormed("a".repeat(42) + "+")).isFalse();
        assertThat(UploadToken.isWellFormed(null)).isFalse();
    }

    @Test
    void a_token_is_stored_as_its_sha256_in_hex() throws Exception {
        String token = UploadToken.generate();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));

        assertThat(UploadToken.hash(token)).isEqualTo(HexFormat.of().formatHex(digest)).hasSize(64)
                .doesNotContain(token);
    }

    @Test
    void an_address_is_held_back_at_its_limit_not_before() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        AttemptLimiter limiter = new AttemptLimiter(clock, 50, Duration.ofMinutes(10), token -> false);
        for (int i = 0; i < 49; i++) {
            limiter.recordRefusal("203.0.113.7");
        }
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("49 refusals").isZero();

        limiter.recordRefusal("203.0.113.7");
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("50 refusals").isEqualTo(600);

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("the last millisecond").isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("the window's end").isZero();
    }

    @Test
    void a_refusal_after_the_window_starts_a_new_count() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        AttemptLimiter limiter = new AttemptLimiter(clock, 2, Duration.ofMinutes(10), token -> false);
        limiter.recordRefusal("203.0.113.7");
        clock.advance(Duration.ofMinutes(10));

        limiter.recordRefusal("203.0.113.7");

        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("one refusal in the new window").isZero();
        clock.advance(Duration.ofMinutes(5));
        limiter.recordRefusal("203.0.113.7");
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).as("the new window counts from its start")
                .isEqualTo(300);
    }
}
