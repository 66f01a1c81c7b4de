package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppleErrorsTest {
    @Test
    void errors_are_read_with_unknown_codes_kept() {
        var errors = AscClient.parseErrors("{\"errors\":[{\"id\":\"x\",\"status\":\"403\",\"code\":"
                + "\"FORBIDDEN.SOMETHING_NEW\",\"title\":\"t\",\"detail\":\"d\",\"extra\":{\"a\":1}}]}");
        assertThat(errors).containsExactly(new AscError("x", "403", "FORBIDDEN.SOMETHING_NEW", "t", "d", null, null));
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
    void source_and_links_are_kept_where_apple_sends_them() {
        AscError notFound = AscClient.parseErrors(Recorded.body("error-404-not-found.json")).get(0);
        assertThat(notFound.source()).isEqualTo("data/id");
        assertThat(notFound.id()).isEqualTo("6b1e9f3a-0c7d-4d52-a8e4-f3b2c1d0e9a7");

        AscError agreement = AscClient.parseErrors(Recorded.body("error-403-agreements.json")).get(0);
        assertThat(agreement.see()).isEqualTo("/agreements");

        assertThat(AscClient.parseErrors(Recorded.body("error-409-entity-state-invalid.json")))
                .as("associated errors stay inside the one error they explain").hasSize(1);
    }

    @Test
    void a_details_member_is_read_where_detail_is_missing() {
        AscError limited = AscClient.parseErrors(Recorded.body("error-429-details.json")).get(0);

        assertThat(limited.code()).isNull();
        assertThat(limited.detail()).startsWith("We've received too many requests");
        assertThat(limited.words()).isEqualTo(limited.detail());
    }

    @Test
    void apples_words_never_carry_the_query_string() {
        AscException e = Recorded.error(403, "error-403-role-too-low.json",
                "/v1/users?filter[username]=builds@vendor.example&limit=10");

        assertThat(e.getMessage()).isEqualTo("GET /v1/users answered HTTP 403: FORBIDDEN_ERROR")
                .doesNotContain("builds@vendor.example", "filter");
        assertThat(e.appleSays()).isEqualTo("FORBIDDEN_ERROR: The API key in use does not allow this request");
    }

    @Test
    void an_empty_error_list_is_told_by_its_status() {
        AscException e = Recorded.error(401, "error-401-empty-errors.json");

        assertThat(e.errors()).isEqualTo(List.of());
        assertThat(e.appleSays()).isEqualTo("HTTP 401");
    }
}
