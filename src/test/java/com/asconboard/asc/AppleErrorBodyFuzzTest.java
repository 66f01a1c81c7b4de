package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Whatever App Store Connect (or a proxy in front of it) answers, reading its error body never
 * throws: a verification must end in a report, not an exception. Seeds are raw response bodies in
 * {@code AppleErrorBodyFuzzTestInputs/<method>/}.
 */
class AppleErrorBodyFuzzTest {

    @FuzzTest
    void reads_any_error_body_without_throwing(FuzzedDataProvider data) {
        List<AscError> errors = AscClient.parseErrors(data.consumeRemainingAsString());
        assertThat(errors).isNotNull().doesNotContainNull();
    }
}
