package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a stored link, an issued link and the thread's numbers say of themselves. */
class UploadLinkValuesTest {
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    static UploadLink link(LinkStatus status, Instant expiresAt, Verdict verdict) {
        return new UploadLink(1, 2, status, "U123", NOW.minus(Duration.ofDays(1)), expiresAt, 0, null, verdict, null);
    }

    @Test
    void a_link_is_usable_while_active_and_before_its_expiry_only() {
        assertThat(link(LinkStatus.ACTIVE, NOW.plusSeconds(1), null).isUsable(NOW)).isTrue();
        assertThat(link(LinkStatus.ACTIVE, NOW, null).isUsable(NOW)).as("at its expiry").isFalse();
        assertThat(link(LinkStatus.ACTIVE, NOW.minusSeconds(1), null).isUsable(NOW)).isFalse();
        for (LinkStatus other : LinkStatus.values()) {
            if (other != LinkStatus.ACTIVE) {
                assertThat(link(other, NOW.plus(Duration.ofDays(1)), null).isUsable(NOW)).as(other.name()).isFalse();
            }
        }
    }

    @Test
    void a_link_is_reopened_after_a_rejection_only() {
        assertThat(link(LinkStatus.ACTIVE, NOW.plusSeconds(60), Verdict.ROLE_TOO_LOW).reopenedAfterRejection()).isTrue();
        assertThat(link(LinkStatus.ACTIVE, NOW.plusSeconds(60), Verdict.UNCONFIRMED).reopenedAfterRejection()).isFalse();
        assertThat(link(LinkStatus.ACTIVE, NOW.plusSeconds(60), null).reopenedAfterRejection()).isFalse();
    }

    @Test
    void an_issued_link_describes_itself_without_its_token() {
        IssuedLink issued = new IssuedLink("ASC-7", "Acme", "https://onboard.example/upload/s3cr3t-token", NOW, false);

        assertThat(issued.toString()).isEqualTo("IssuedLink[ASC-7, expires 2026-11-30T10:00:00Z]")
                .doesNotContain("s3cr3t-token");
    }

    @Test
    void the_thread_counts_failed_attempts_in_words() {
        assertThat(Verdicts.ordinal(1)).isEqualTo("1st");
        assertThat(Verdicts.ordinal(2)).isEqualTo("2nd");
        assertThat(Verdicts.ordinal(3)).isEqualTo("3rd");
        assertThat(Verdicts.ordinal(4)).isEqualTo("4th");
        assertThat(Verdicts.ordinal(5)).isEqualTo("5th");
        assertThat(Verdicts.ordinal(10)).isEqualTo("10th");
        assertThat(Verdicts.ordinal(11)).isEqualTo("11th");
        assertThat(Verdicts.ordinal(12)).isEqualTo("12th");
        assertThat(Verdicts.ordinal(13)).isEqualTo("13th");
        assertThat(Verdicts.ordinal(14)).isEqualTo("14th");
        assertThat(Verdicts.ordinal(21)).isEqualTo("21st");
        assertThat(Verdicts.ordinal(22)).isEqualTo("22nd");
        assertThat(Verdicts.ordinal(23)).isEqualTo("23rd");
        assertThat(Verdicts.ordinal(101)).isEqualTo("101st");
        assertThat(Verdicts.ordinal(111)).isEqualTo("111th");
        assertThat(Verdicts.ordinal(113)).isEqualTo("113th");
    }
}
