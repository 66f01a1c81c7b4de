package com.asconboard.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The customer's name and the Team Name at their exact limit: 200 characters are taken, 201 are not. */
class NameLengthTest {
    static Map<Field, String> names(String customer, String teamName) {
        Map<Field, String> input = new EnumMap<>(Field.class);
        input.put(Field.CUSTOMER, customer);
        input.put(Field.TEAM_NAME, teamName);
        return input;
    }

    @Test
    void names_of_200_characters_are_accepted() {
        String name = "n".repeat(DetailsForm.MAX_NAME_LENGTH);

        DetailsForm.Result result = DetailsForm.check(names(name, name));

        assertThat(DetailsForm.MAX_NAME_LENGTH).isEqualTo(200);
        assertThat(result.isValid()).isTrue();
        assertThat(result.details().customer()).hasSize(200);
        assertThat(result.details().teamName()).hasSize(200);
    }

    @Test
    void names_of_201_characters_are_refused_each_in_its_own_field() {
        String name = "n".repeat(DetailsForm.MAX_NAME_LENGTH + 1);

        DetailsForm.Result result = DetailsForm.check(names(name, name));

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors().get(Field.CUSTOMER).english()).contains("customer’s name", "200 characters");
        assertThat(result.errors().get(Field.TEAM_NAME).english()).contains("Team Name", "200 characters");
    }

    @Test
    void spaces_around_a_name_do_not_count() {
        String name = "\u00A0 " + "n".repeat(DetailsForm.MAX_NAME_LENGTH) + " \u200B";

        assertThat(DetailsForm.check(names(name, null)).details().customer()).hasSize(200);
    }
}
