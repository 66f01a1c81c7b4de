package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every date form App Store Connect was recorded sending, and what is not a date. */
class AppleDatesTest {

    @Test
    void apples_offset_without_a_colon_is_read() {
        assertThat(AppleDates.parse("2027-02-01T20:50:34.000+0000")).contains(Instant.parse("2027-02-01T20:50:34Z"));
        assertThat(AppleDates.parse("2027-02-01T20:50:34+0000")).contains(Instant.parse("2027-02-01T20:50:34Z"));
        assertThat(AppleDates.parse("2027-02-01T13:50:34.000-0700")).contains(Instant.parse("2027-02-01T20:50:34Z"));
    }

    @Test
    void the_other_forms_apple_uses_are_read() {
        assertThat(AppleDates.parse("2023-11-10T08:09:51.000+00:00")).contains(Instant.parse("2023-11-10T08:09:51Z"));
        assertThat(AppleDates.parse("2021-05-19T08:07:47Z")).contains(Instant.parse("2021-05-19T08:07:47Z"));
        assertThat(AppleDates.parse("2021-05-19T08:07:47.123456Z")).contains(Instant.parse("2021-05-19T08:07:47.123456Z"));
        assertThat(AppleDates.parse(" 2021-05-19T10:07:47+02 ")).contains(Instant.parse("2021-05-19T08:07:47Z"));
    }

    @Test
    void anything_else_is_unknown_rather_than_guessed() {
        assertThat(AppleDates.parse(null)).isEmpty();
        assertThat(AppleDates.parse("")).isEmpty();
        assertThat(AppleDates.parse("2027-06-31T25:61:00.000+0000")).as("no such time").isEmpty();
        assertThat(AppleDates.parse("2027-02-30T10:00:00Z")).as("no such day").isEmpty();
        assertThat(AppleDates.parse("2027-02-01T20:50:34")).as("no offset: which day is it?").isEmpty();
        assertThat(AppleDates.parse("2027-02-01 20:50:34Z")).isEmpty();
        assertThat(AppleDates.parse("2027-02-01T20:50:34.000+0000 ")).isNotEmpty();
        assertThat(AppleDates.parse("1738443034")).isEmpty();
    }
}
