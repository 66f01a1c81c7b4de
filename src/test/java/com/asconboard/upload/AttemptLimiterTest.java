package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.MutableClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {
    static final String LIVE = "live-token";
    final MutableClock clock = MutableClock.startingNow();
    final AttemptLimiter limiter = new AttemptLimiter(clock, 3, Duration.ofMinutes(10), Set.of(LIVE)::contains);

    @Test
    void an_address_over_its_limit_is_refused_until_its_window_ends() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).isZero();
            limiter.recordRefusal("203.0.113.7");
        }
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).isEqualTo(600);
        assertThat(limiter.retryAfterSeconds("198.51.100.9", "junk")).as("another address").isZero();

        clock.advance(Duration.ofMinutes(9));
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).isEqualTo(60);
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).isZero();
    }

    @Test
    void uploads_through_a_live_link_are_never_held_back_by_their_address() {
        for (int i = 0; i < 50; i++) {
            limiter.recordRefusal("203.0.113.7");
        }
        assertThat(limiter.retryAfterSeconds("203.0.113.7", "junk")).isPositive();
        assertThat(limiter.retryAfterSeconds("203.0.113.7", LIVE)).isZero();
    }

    @Test
    void the_link_is_looked_up_only_for_an_address_over_its_limit() {
        int[] lookups = {0};
        AttemptLimiter counting = new AttemptLimiter(clock, 3, Duration.ofMinutes(10), token -> {
            lookups[0]++;
            return false;
        });
        counting.recordRefusal("203.0.113.7");
        assertThat(counting.retryAfterSeconds("203.0.113.7", "junk")).isZero();
        assertThat(lookups[0]).isZero();
    }

    @Test
    void the_addresses_tracked_stay_bounded() {
        for (int i = 0; i < 3 * AttemptLimiter.MAX_TRACKED; i++) {
            limiter.recordRefusal("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(limiter.tracked()).isLessThanOrEqualTo(AttemptLimiter.MAX_TRACKED);
    }

    @Test
    void every_address_with_a_refusal_is_tracked_until_the_bound() {
        assertThat(limiter.tracked()).isZero();
        limiter.recordRefusal("203.0.113.7");
        limiter.recordRefusal("203.0.113.7");
        limiter.recordRefusal("198.51.100.9");

        assertThat(limiter.tracked()).isEqualTo(2);
    }
}
