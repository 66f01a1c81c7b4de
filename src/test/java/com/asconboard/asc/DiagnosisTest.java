package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.asc.Diagnosis.Actor;
import com.asconboard.asc.Diagnosis.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apple's recorded error answers, each read as what it means, with its fix and who must act. */
class DiagnosisTest {

    @Test
    void a_lapsed_membership_is_the_account_holders_to_renew_though_apple_calls_it_forbidden() {
        Diagnosis d = Diagnosis.of(Recorded.error(403, "error-403-membership-lapsed.json"));

        assertThat(d.kind()).isEqualTo(Kind.MEMBERSHIP_LAPSED);
        assertThat(d.kind().actor()).isEqualTo(Actor.ACCOUNT_HOLDER);
        assertThat(d.actor()).isEqualTo("the Account Holder");
        assertThat(d.problem()).contains("Apple Developer Program membership is not active",
                "the Account Holder must renew it", "is not associated with an active membership");
        assertThat(d.fix()).contains("Account Holder must renew the Apple Developer Program", "A new key will not help")
                .doesNotContain("App Manager");
        assertThat(d.kind().blocksAccount()).isTrue();
    }

    @Test
    void the_same_code_and_title_with_the_key_detail_means_the_role_is_too_low() {
        Diagnosis d = Diagnosis.of(Recorded.error(403, "error-403-role-too-low.json"));

        assertThat(d.kind()).isEqualTo(Kind.ROLE_TOO_LOW);
        assertThat(d.actor()).isEqualTo("the customer's App Store Connect admin");
        assertThat(d.problem()).contains("role is too low", "The API key in use does not allow this request");
        assertThat(d.fix()).contains("new Team key with the App Manager role");
        assertThat(d.kind().blocksAccount()).isFalse();
    }

    @Test
    void agreements_keep_their_own_fix_with_or_without_apples_words() {
        for (String body : List.of("error-403-agreements.json", "error-403-agreements-code-only.json")) {
            Diagnosis d = Diagnosis.of(Recorded.error(403, body));

            assertThat(d.kind()).as(body).isEqualTo(Kind.AGREEMENT_MISSING);
            assertThat(d.actor()).isEqualTo("the Account Holder");
            assertThat(d.fix()).contains("accept the latest agreement", "A new key will not help");
            assertThat(d.kind().blocksAccount()).isTrue();
        }
        assertThat(Diagnosis.of(Recorded.error(403, "error-403-agreements-code-only.json")).problem())
                .contains("FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED");
    }

    @Test
    void an_unknown_forbidden_detail_is_quoted_without_its_query_string_or_anything_like_a_token() {
        Diagnosis d = Diagnosis.of(Recorded.error(403, "error-403-unknown.json",
                "/v1/userInvitations?filter[email]=builds@vendor.example"));

        assertThat(d.kind()).isEqualTo(Kind.FORBIDDEN_OTHER);
        assertThat(d.problem()).contains("Access to this resource is restricted for the team while a compliance review "
                + "is open", "https://appstoreconnect.apple.com/access/notices")
                .doesNotContain("?", "session", "eyJ", "H4RB0UR001&", "builds@vendor.example");
        assertThat(d.fix()).contains("App Manager role", "Account Holder").doesNotContain("renew");
    }

    @Test
    void a_401_is_a_rejected_key_to_confirm_before_alarming() {
        for (String body : List.of("error-401-not-authorized.json", "error-401-empty-errors.json")) {
            Diagnosis d = Diagnosis.of(Recorded.error(401, body));

            assertThat(d.kind()).isEqualTo(Kind.KEY_REJECTED);
            assertThat(d.kind().confirmBeforeAlarm()).as("Apple sends spurious 401s").isTrue();
            assertThat(d.fix()).contains("Key ID, Issuer ID and .p8 must belong to the same key");
        }
        assertThat(Diagnosis.of(Recorded.error(401, "error-401-not-authorized.json")).problem())
                .contains("NOT_AUTHORIZED", "Provide a properly configured and signed bearer token");
    }

    @Test
    void slots_full_is_recognised_whatever_type_apple_names() {
        Diagnosis ios = Diagnosis.of(Recorded.error(409, "error-409-ios-distribution-limit.json"));
        Diagnosis developerId = Diagnosis.of(Recorded.error(409, "error-409-developer-id-limit.json"));

        assertThat(ios.kind()).isEqualTo(Kind.SLOTS_FULL);
        assertThat(developerId.kind()).isEqualTo(Kind.SLOTS_FULL);
        assertThat(Diagnosis.slotsFullType(Recorded.error(409, "error-409-ios-distribution-limit.json")))
                .isEqualTo("iOS Distribution");
        assertThat(Diagnosis.slotsFullType(Recorded.error(409, "error-409-developer-id-limit.json")))
                .isEqualTo("Developer ID Application");
        assertThat(ios.fix()).contains("revoke", "keep working");
    }

    @Test
    void another_conflict_is_not_taken_for_full_slots() {
        AscException e = Recorded.error(409, "error-409-entity-state-invalid.json");

        assertThat(Diagnosis.of(e).kind()).isEqualTo(Kind.REQUEST_REFUSED);
        assertThat(Diagnosis.slotsFullType(e)).isNull();
    }

    @Test
    void passing_troubles_need_nobody_to_act() {
        assertThat(Diagnosis.of(Recorded.error(429, "error-429-rate-limit.json")).kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(Diagnosis.of(Recorded.error(429, "error-429-details.json")).problem())
                .contains("We've received too many requests");
        assertThat(Diagnosis.of(Recorded.error(500, "error-500-unexpected.json")).kind()).isEqualTo(Kind.APPLE_FAILED);
        assertThat(Diagnosis.of(new AscException(0, List.of(), "GET /v1/apps: App Store Connect did not answer "
                + "(SocketTimeoutException)", null)).kind()).isEqualTo(Kind.UNREACHABLE);
        for (Kind kind : List.of(Kind.RATE_LIMITED, Kind.APPLE_FAILED, Kind.UNREACHABLE)) {
            assertThat(kind.passesByItself()).isTrue();
            assertThat(kind.actor()).isEqualTo(Actor.NOBODY);
        }
        assertThat(Kind.MEMBERSHIP_LAPSED.passesByItself()).isFalse();
    }

    @Test
    void a_refused_request_is_for_the_operators() {
        Diagnosis d = Diagnosis.of(Recorded.error(404, "error-404-not-found.json"));

        assertThat(d.kind()).isEqualTo(Kind.REQUEST_REFUSED);
        assertThat(d.kind().actor()).isEqualTo(Actor.OPERATOR);
        assertThat(d.problem()).contains("HTTP 404", "NOT_FOUND");
    }

    @Test
    void apples_words_are_one_bounded_line() {
        String long403 = "{\"errors\":[{\"status\":\"403\",\"code\":\"FORBIDDEN_ERROR\",\"detail\":\"line one\\nline two "
                + "Bearer abcdefgh.ijklmnop.qrstuvwx " + "x".repeat(500) + "\"}]}";
        String quoted = Diagnosis.of(AscClient.error("GET", "/v1/apps", 403, long403)).problem();

        assertThat(quoted).contains("line one line two", "Bearer ****").doesNotContain("\n", "abcdefgh")
                .hasSizeLessThan(AppleWords.MAX_LENGTH + 80);
    }

    @Test
    void an_account_block_has_a_notice_for_when_it_starts_and_when_it_clears() {
        assertThat(Diagnosis.blockNotice(Kind.MEMBERSHIP_LAPSED)).contains("The Account Holder must renew",
                "a new key will not help");
        assertThat(Diagnosis.blockNotice(Kind.AGREEMENT_MISSING)).contains("The Account Holder must accept");
        assertThat(Diagnosis.blockClearedNotice(Kind.MEMBERSHIP_LAPSED)).contains("answers again");
        assertThat(Diagnosis.blockClearedNotice(Kind.AGREEMENT_MISSING)).contains("accepted");
        assertThatThrownBy(() -> Diagnosis.blockNotice(Kind.KEY_REJECTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not block an account");
    }
}
