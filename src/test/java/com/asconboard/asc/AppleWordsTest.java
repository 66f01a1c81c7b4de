package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Apple's words as the bot repeats them: whole up to 300 characters, cut with an ellipsis beyond. */
class AppleWordsTest {
    /** Words of {@code length} characters, spaced like Apple's sentences (no run long enough to look like a key). */
    static String words(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(text.length() % 10 == 9 ? ' ' : 'a');
        }
        return text.toString();
    }

    @Test
    void words_of_exactly_300_characters_are_repeated_whole() {
        String text = words(AppleWords.MAX_LENGTH - 1) + "z";

        assertThat(AppleWords.MAX_LENGTH).isEqualTo(300);
        assertThat(AppleWords.quote(text)).isEqualTo(text);
    }

    @Test
    void words_of_301_characters_are_cut_to_300_with_an_ellipsis() {
        String text = words(AppleWords.MAX_LENGTH) + "z";

        String quoted = AppleWords.quote(text);

        assertThat(quoted).hasSizeLessThanOrEqualTo(AppleWords.MAX_LENGTH).endsWith("…").doesNotContain("z");
    }

    @Test
    void line_breaks_and_tabs_become_single_spaces_and_nothing_becomes_empty() {
        assertThat(AppleWords.quote("  The key\r\n\tis revoked.\n")).isEqualTo("The key is revoked.");
        assertThat(AppleWords.quote(null)).isEmpty();
    }
}
