package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apple's X-Rate-Limit lines as recorded: hourly and per minute, one line each or joined into one. */
class RateLimitTest {
    static final Duration CAP = Duration.ofSeconds(5);

    @Test
    void the_hourly_line_alone_is_read() {
        RateLimit limit = RateLimit.parse(Recorded.lines("x-rate-limit.txt").get(0));

        assertThat(limit.windows()).containsExactly(new RateLimit.Window("user-hour", Duration.ofHours(1), 3600, 3412));
        assertThat(limit.pacing(CAP)).isZero();
    }

    @Test
    void hourly_and_per_minute_windows_are_read_from_one_line() {
        RateLimit limit = RateLimit.parse(Recorded.lines("x-rate-limit.txt").get(1));

        assertThat(limit.window("user-hour")).hasValueSatisfying(w -> assertThat(w.remaining()).isEqualTo(3411));
        assertThat(limit.window("user-minute")).hasValueSatisfying(w -> {
            assertThat(w.limit()).isEqualTo(150);
            assertThat(w.remaining()).isEqualTo(141);
            assertThat(w.period()).isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void two_header_lines_are_both_read_and_the_tightest_window_paces() {
        List<String> lines = List.of("user-hour-lim:3600;user-hour-rem:3410;", "user-minute-lim:150;user-minute-rem:8;");

        RateLimit limit = RateLimit.parse(lines);

        assertThat(limit.windows()).extracting(RateLimit.Window::name).containsExactly("user-hour", "user-minute");
        assertThat(limit.tightest().name()).isEqualTo("user-minute");
        assertThat(limit.pacing(CAP)).as("a minute's 150 requests spread evenly").isEqualTo(Duration.ofMillis(400));
        assertThat(RateLimit.parse(Recorded.lines("x-rate-limit.txt").get(2))).isEqualTo(limit);
    }

    @Test
    void the_longest_spacing_wins_when_several_windows_run_low() {
        RateLimit limit = RateLimit.parse(List.of("user-hour-lim:3600;user-hour-rem:100;",
                "user-minute-lim:150;user-minute-rem:3;"));

        assertThat(limit.pacing(CAP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RateLimit.parse(List.of("user-hour-lim:12;user-hour-rem:9;")).pacing(CAP)).isEqualTo(CAP);
    }

    @Test
    void odd_headers_are_read_tolerantly() {
        assertThat(RateLimit.parse("user-hour-rem:10;user-hour-lim:3600")).isEqualTo(new RateLimit(List.of(
                new RateLimit.Window("user-hour", Duration.ofHours(1), 3600, 10))));
        assertThat(RateLimit.parse("garbage")).isNull();
        assertThat(RateLimit.parse("user-hour-lim:3600;")).as("a limit without what remains").isNull();
        assertThat(RateLimit.parse((String) null)).isNull();
        assertThat(RateLimit.parse(List.of())).isNull();
        assertThat(RateLimit.parse("user-hour-lim:3600;user-hour-rem:180;").nearlyExhausted()).isTrue();
        assertThat(RateLimit.parse("user-hour-lim:3600;user-hour-rem:181;").nearlyExhausted()).isFalse();
    }

    @Test
    void a_window_announced_with_a_limit_of_zero_is_not_taken_as_nearly_exhausted() {
        RateLimit none = RateLimit.parse("user-hour-lim:0;user-hour-rem:0;");

        assertThat(none.nearlyExhausted()).isFalse();
        assertThat(none.pacing(Duration.ofMinutes(1))).isEqualTo(Duration.ZERO);
    }
}
