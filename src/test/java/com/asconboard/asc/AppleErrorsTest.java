package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppleErrorsTest {
    @Test
    void errors_are_read_with_unknown_codes_kept() {
        var errors = AscClient.parseErrors("{\"errors\":[{\"id\":\"x\",\"status\":\"403\",\"code\":"
                + "\"FORBIDDEN.SOMETHING_NEW\",\"title\":\"t\",\"detail\":\"d\",\"extra\":{\"a\":1}}]}");
        assertThat(errors).containsExactly(new AscError("403", "FORBIDDEN.SOMETHING_NEW", "t", "d"));
    }

    @Test
    void odd_bodies_give_no_errors_instead_of_failing() {
        assertThat(AscClient.parseErrors("")).isEmpty();
        assertThat(AscClient.parseErrors("<html>Bad gateway</html>")).isEmpty();
        assertThat(AscClient.parseErrors("{\"errors\":\"nope\"}")).isEmpty();
        assertThat(AscClient.parseErrors("{\"errors\":[1, null, {\"status\":403}]}"))
                .containsExactly(new AscError("403", null, null, null));
        assertThat(AscClient.parseErrors("[" .repeat(10_000))).isEmpty();
    }

    @Test
    void rate_limit_header_is_read_tolerantly() {
        assertThat(RateLimit.parse("user-hour-lim:3600;user-hour-rem:3599;")).isEqualTo(new RateLimit(3600, 3599));
        assertThat(RateLimit.parse("user-hour-rem:10;user-hour-lim:3600")).isEqualTo(new RateLimit(3600, 10));
        assertThat(RateLimit.parse("garbage")).isNull();
        assertThat(RateLimit.parse(null)).isNull();
        assertThat(new RateLimit(3600, 180).nearlyExhausted()).isTrue();
        assertThat(new RateLimit(3600, 181).nearlyExhausted()).isFalse();
    }
}
