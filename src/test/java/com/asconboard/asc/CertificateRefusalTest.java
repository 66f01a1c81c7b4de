package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the thread says when Apple refuses to create the vendor's certificate, on recorded refusals. */
class CertificateRefusalTest {
    static final Instant NOW = CertificateSlotsTest.NOW;

    @Test
    void full_slots_in_apples_ios_wording_list_the_certificates_in_them() {
        String text = CertificateRefusal.explain(Recorded.error(409, "error-409-ios-distribution-limit.json",
                "/v1/certificates"), CertificateSlotsTest.recordedList(), NOW);

        assertThat(text).startsWith("all 3 distribution-certificate slots are in use")
                .contains("a current iOS Distribution certificate or a pending request exists",
                        "• iOS Distribution: Harbour Apps Ltd (Harbour Ops) (IOS_DISTRIBUTION, expires 2027-02-01)",
                        "Apple Distribution: Harbour Apps Ltd (Harbour CI) (DISTRIBUTION, expiry unknown)",
                        "(IOS_DISTRIBUTION, expired 2026-03-14) — expired, takes no slot",
                        "must revoke one", "does not affect apps already on the App Store")
                .doesNotContain("iOS Development", "Developer ID");
    }

    @Test
    void full_slots_in_another_types_wording_are_still_full_slots() {
        String text = CertificateRefusal.explain(Recorded.error(409, "error-409-developer-id-limit.json",
                "/v1/certificates"), null, NOW);

        assertThat(text).startsWith("all 3 distribution-certificate slots are in use")
                .contains("Developer ID Application", "the list could not be read", "must revoke one");
    }

    @Test
    void fewer_current_certificates_than_slots_mention_the_pending_request_apple_counts() {
        String text = CertificateRefusal.explain(Recorded.error(409, "error-409-ios-distribution-limit.json"),
                CertificateSlotsTest.recordedList().subList(0, 3), NOW);

        assertThat(text).contains("pending certificate request too");
    }

    @Test
    void a_role_that_may_read_but_not_create_is_explained() {
        String text = CertificateRefusal.explain(Recorded.error(403, "error-403-role-too-low.json"), null, NOW);

        assertThat(text).contains("lets this key read certificates but not create", "Admin", "Account Holder",
                "The API key in use does not allow this request");
    }

    @Test
    void a_lapsed_membership_or_a_missing_agreement_is_the_account_holders() {
        String membership = CertificateRefusal.explain(Recorded.error(403, "error-403-membership-lapsed.json"), null,
                NOW);
        String agreement = CertificateRefusal.explain(Recorded.error(403, "error-403-agreements.json"), null, NOW);

        assertThat(membership).contains("Account Holder must renew the Apple Developer Program",
                "press Create certificate").doesNotContain("App Manager", "Verify now");
        assertThat(agreement).contains("Account Holder", "accept the latest agreement").doesNotContain("role");
    }

    @Test
    void an_unknown_refusal_is_quoted_with_a_neutral_fix() {
        String text = CertificateRefusal.explain(Recorded.error(403, "error-403-unknown.json"), null, NOW);

        assertThat(text).contains("Access to this resource is restricted", "press Create certificate")
                .doesNotContain("session=", "eyJ");
        assertThat(CertificateRefusal.explain(Recorded.error(500, "error-500-unexpected.json"), null, NOW))
                .contains("UNEXPECTED_ERROR", "try again later");
    }
}
