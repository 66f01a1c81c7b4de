package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.VerificationReport.Slot;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The slot census on a certificate list of the recorded shape (Apple's date forms, mixed types). */
class CertificateSlotsTest {
    static final Instant NOW = Instant.parse("2026-09-01T00:00:00Z");

    static List<AscCertificate> recordedList() {
        return Json.resources(JsonParser.parseString(Recorded.body("certificates-list.json")).getAsJsonObject())
                .stream().map(AscCertificate::from).toList();
    }

    @Test
    void apples_dates_are_read_from_the_recorded_list() {
        List<AscCertificate> list = recordedList();

        assertThat(list).extracting(AscCertificate::type).containsExactly("IOS_DEVELOPMENT", "IOS_DISTRIBUTION",
                "IOS_DISTRIBUTION", "DISTRIBUTION", "DEVELOPER_ID_APPLICATION_G2", "DISTRIBUTION");
        assertThat(list.get(1).expires()).isEqualTo(Instant.parse("2027-02-01T20:50:34Z"));
        assertThat(list.get(2).isExpired(NOW)).isTrue();
        assertThat(list.get(5).expires()).isEqualTo(Instant.parse("2027-04-22T08:02:15Z"));
    }

    @Test
    void an_unreadable_date_is_unknown_never_never_expiring() {
        AscCertificate unreadable = recordedList().get(3);

        assertThat(unreadable.expires()).isNull();
        assertThat(unreadable.expiryUnknown()).isTrue();
        assertThat(unreadable.isExpired(NOW)).isFalse();
        Slot slot = CertificateSlots.count(List.of(unreadable), Set.of(), NOW).all().get(0);
        assertThat(CertificateSlots.line(slot)).contains("expiry unknown").doesNotContain("expires");
    }

    @Test
    void only_unexpired_distribution_certificates_fill_slots_and_expired_ones_are_shown_as_expired() {
        CertificateSlots census = CertificateSlots.count(recordedList(), Set.of("5D20B7E94A1C3F86"), NOW);

        assertThat(census.all()).hasSize(4);
        assertThat(census.used()).isEqualTo(3);
        assertThat(census.free()).isZero();
        assertThat(census.expired()).singleElement().satisfies(s -> {
            assertThat(s.serialNumber()).isEqualTo("0F4E7B22C91D6A58");
            assertThat(CertificateSlots.line(s)).contains("expired 2026-03-14");
        });
        assertThat(census.vendorHasOne()).isTrue();
        assertThat(census.census()).startsWith("3 of 3 in use, one of them the vendor's certificate")
                .contains("1 expired, not counted", "could not be read, so it is counted as in use");
        assertThat(census.check().outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void full_slots_without_the_vendors_certificate_fail_with_the_list() {
        CertificateSlots census = CertificateSlots.count(recordedList(), Set.of(), NOW);

        var check = census.check();
        assertThat(check.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(check.cause()).isEqualTo(Diagnosis.Kind.SLOTS_FULL);
        assertThat(check.reason()).contains("all 3", "iOS Distribution: Harbour Apps Ltd (Harbour Ops), expires "
                + "2027-02-01", "expiry unknown").contains("expired 2026-03-14");
        assertThat(check.fix()).contains("revoke one");
    }

    @Test
    void the_census_is_brought_up_to_date_after_the_vendors_certificate_is_created() {
        AscCertificate created = AscCertificate.from(JsonParser.parseString(Recorded.body("certificate-created.json"))
                .getAsJsonObject().getAsJsonObject("data"));
        CertificateSlots before = CertificateSlots.count(recordedList().subList(0, 3), Set.of(), NOW);
        assertThat(before.census()).startsWith("1 of 3 in use, 2 free for the vendor");

        CertificateSlots after = before.withVendorCertificate(created, NOW);

        assertThat(after.census()).startsWith("2 of 3 in use, one of them the vendor's certificate");
        assertThat(after.withVendorCertificate(created, NOW).used()).as("the same one twice counts once").isEqualTo(2);

        VerificationReport report = new VerificationReport(NOW, List.of(before.check()), before.all());
        VerificationReport updated = report.withSlots(after);
        assertThat(updated.check(VerificationReport.Kind.SLOTS).reason()).startsWith("2 of 3 in use, one of them the "
                + "vendor's");
        assertThat(updated.freeSlots()).isEqualTo(1);
        assertThat(ReportText.describe(updated)).contains("2 of 3 slots in use", "expires 2027-09-01, the vendor's");
    }
}
