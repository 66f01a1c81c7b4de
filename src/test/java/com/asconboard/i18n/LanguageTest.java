package com.asconboard.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageTest {

    @Test
    void the_first_spoken_language_by_quality_wins() {
        assertThat(Language.preferred("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")).isEqualTo(Language.FR);
        assertThat(Language.preferred("en;q=0.3, de;q=0.8")).isEqualTo(Language.DE);
        assertThat(Language.preferred("ja, es-MX;q=0.9, en;q=0.5")).isEqualTo(Language.ES);
        assertThat(Language.preferred("DE-at")).isEqualTo(Language.DE);
    }

    @Test
    void equal_qualities_keep_the_order_of_the_header() {
        assertThat(Language.preferred("es;q=0.5, fr;q=0.5")).isEqualTo(Language.ES);
        assertThat(Language.preferred("fr, es")).isEqualTo(Language.FR);
    }

    @Test
    void a_language_of_quality_zero_is_refused() {
        assertThat(Language.preferred("fr;q=0, de;q=0.1")).isEqualTo(Language.DE);
        assertThat(Language.preferred("fr;q=0")).isEqualTo(Language.EN);
    }

    @Test
    void english_when_unsure() {
        assertThat(Language.preferred(null)).isEqualTo(Language.EN);
        assertThat(Language.preferred("")).isEqualTo(Language.EN);
        assertThat(Language.preferred("ja, zh-CN;q=0.8")).isEqualTo(Language.EN);
        assertThat(Language.preferred("*")).isEqualTo(Language.EN);
        assertThat(Language.preferred("*, fr;q=0.5")).isEqualTo(Language.EN);
        assertThat(Language.preferred(";;;,,=")).isEqualTo(Language.EN);
    }

    @Test
    void a_malformed_range_is_skipped_not_the_whole_header() {
        assertThat(Language.preferred("fr;q=x, de;q=0.5")).isEqualTo(Language.DE);
        assertThat(Language.preferred("<script>, es")).isEqualTo(Language.ES);
    }

    @Test
    void only_the_first_ranges_of_a_long_header_are_read() {
        String many = "ja, ".repeat(40) + "fr";
        assertThat(Language.preferred(many)).isEqualTo(Language.EN);
    }

    @Test
    void an_explicit_choice_overrides_the_header_and_an_unknown_one_is_ignored() {
        assertThat(Language.choose("de", "fr")).isEqualTo(Language.DE);
        assertThat(Language.choose("ES", null)).isEqualTo(Language.ES);
        assertThat(Language.choose("it", "fr")).isEqualTo(Language.FR);
        assertThat(Language.choose("", "es")).isEqualTo(Language.ES);
        assertThat(Language.choose(null, null)).isEqualTo(Language.EN);
    }
}
