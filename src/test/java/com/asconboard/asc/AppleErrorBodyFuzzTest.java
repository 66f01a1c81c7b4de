package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Whatever App Store Connect (or a proxy in front of it) answers, reading its error body never
 * throws and its diagnosis is one bounded line: a verification must end in a report, not an
 * exception. Seeds are raw response bodies in {@code AppleErrorBodyFuzzTestInputs/<method>/}.
 */
class AppleErrorBodyFuzzTest {
    private static final int[] STATUSES = {401, 403, 409, 429, 500};

    @FuzzTest
    void reads_any_error_body_without_throwing(FuzzedDataProvider data) {
        String body = data.consumeRemainingAsString();
        List<AscError> errors = AscClient.parseErrors(body);
        assertThat(errors).isNotNull().doesNotContainNull();

        for (int status : STATUSES) {
            Diagnosis diagnosis = Diagnosis.of(AscClient.error("GET", "/v1/users?filter[username]=a@b.example",
                    status, body));
            assertThat(diagnosis.problem()).doesNotContain("\n", "filter[username]")
                    .hasSizeLessThan(2 * AppleWords.MAX_LENGTH + 200);
            assertThat(diagnosis.fix()).isNotBlank();
        }
    }
}
