package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.Diagnosis;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.VerificationReport.Slot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports stored before checks carried a cause and slots an expiry state still read, and new ones round-trip. */
class ReportCodecTest {
    /** As the codec wrote a report before checks had a cause and slots had "expired". */
    static final String STORED_BEFORE = "{\"at\":\"2026-05-04T10:00:00Z\",\"checks\":["
            + "{\"kind\":\"AUTHENTICATION\",\"outcome\":\"FAILED\",\"reason\":\"Apple accepted the key but its role is "
            + "too low (FORBIDDEN_ERROR: The API key in use does not allow this request)\",\"fix\":\"Generate a Team "
            + "key with the App Manager role and upload it.\"},"
            + "{\"kind\":\"SLOTS\",\"outcome\":\"PASSED\",\"reason\":\"2 of 3 in use, 1 free for the vendor\"}],"
            + "\"slots\":[{\"name\":\"Apple Distribution: Harbour Apps Ltd\",\"type\":\"DISTRIBUTION\","
            + "\"expires\":\"2027-02-01T20:50:34Z\",\"serialNumber\":\"61E0C3A9D2B84F17\",\"vendors\":false},"
            + "{\"name\":\"iOS Distribution: Harbour Apps Ltd\",\"type\":\"IOS_DISTRIBUTION\",\"serialNumber\":"
            + "\"0F4E7B22C91D6A58\",\"vendors\":true}]}";

    @Test
    void a_report_stored_before_causes_and_expired_slots_still_reads() {
        VerificationReport report = ReportCodec.decode(STORED_BEFORE);

        assertThat(report).isNotNull();
        assertThat(report.check(Kind.AUTHENTICATION).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.check(Kind.AUTHENTICATION).cause()).isNull();
        assertThat(report.slots()).extracting(Slot::expired).containsExactly(false, false);
        assertThat(report.freeSlots()).isEqualTo(1);
        assertThat(report.census().vendorHasOne()).isTrue();
        assertThat(report.accountBlock()).isNull();
    }

    @Test
    void causes_and_expired_slots_round_trip() {
        VerificationReport report = new VerificationReport(Instant.parse("2026-09-01T00:00:00Z"), List.of(
                new Check(Kind.AUTHENTICATION, Outcome.FAILED, "membership lapsed", "renew",
                        Diagnosis.Kind.MEMBERSHIP_LAPSED)),
                List.of(new Slot("Old", "IOS_DISTRIBUTION", Instant.parse("2026-03-14T09:12:05Z"), "0F4E", false, true),
                        new Slot("Unknown expiry", "DISTRIBUTION", null, "4A93", false, false)));

        VerificationReport read = ReportCodec.decode(ReportCodec.encode(report));

        assertThat(read).isEqualTo(report);
        assertThat(read.accountBlock()).isEqualTo(Diagnosis.Kind.MEMBERSHIP_LAPSED);
    }

    @Test
    void a_cause_from_a_newer_version_reads_as_none() {
        String newer = STORED_BEFORE.replace("\"fix\":\"Generate", "\"cause\":\"SOMETHING_NEW\",\"fix\":\"Generate");

        VerificationReport report = ReportCodec.decode(newer);

        assertThat(report).isNotNull();
        assertThat(report.check(Kind.AUTHENTICATION).cause()).isNull();
    }
}
