package com.asconboard.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.i18n.Texts;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetailsFormTest {
    static Map<Field, String> input(String customer, String teamName, String teamId, String issuerId, String keyId) {
        Map<Field, String> in = new EnumMap<>(Field.class);
        in.put(Field.CUSTOMER, customer);
        in.put(Field.TEAM_NAME, teamName);
        in.put(Field.TEAM_ID, teamId);
        in.put(Field.ISSUER_ID, issuerId);
        in.put(Field.KEY_ID, keyId);
        return in;
    }

    @Test
    void only_the_customer_is_required() {
        var result = DetailsForm.check(input("Acme", null, "", "  ", null));
        assertThat(result.isValid()).isTrue();
        assertThat(result.details()).isEqualTo(new TicketDetails("Acme", null, null, null, null));
    }

    @Test
    void white_space_is_trimmed_and_ids_take_apples_case() {
        var result = DetailsForm.check(input("  Acme\u00A0", " Acme Inc. ", " a1b2c3d4e5\n",
                "57246542-96FE-1A63-E053-0824D011072A ", "\u200Bzyx9876543"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.details()).isEqualTo(new TicketDetails("Acme", "Acme Inc.", "A1B2C3D4E5",
                "57246542-96fe-1a63-e053-0824d011072a", "ZYX9876543"));
    }

    @Test
    void empty_customer_is_refused() {
        assertThat(DetailsForm.check(input(" ", null, null, null, null)).errors())
                .containsKey(Field.CUSTOMER);
    }

    @Test
    void team_id_of_the_wrong_length_says_how_long_it_was() {
        assertThat(DetailsForm.check(input("A", null, "ABC123", null, null)).errors().get(Field.TEAM_ID).english())
                .contains("exactly 10 letters or digits", "this has 6 characters");
    }

    @Test
    void team_id_with_punctuation_is_refused() {
        assertThat(DetailsForm.check(input("A", null, "ABC-123-45", null, null)).errors().get(Field.TEAM_ID).english())
                .contains("exactly 10 letters or digits");
    }

    @Test
    void issuer_id_pasted_as_team_id_is_recognised() {
        assertThat(DetailsForm.check(input("A", null, "57246542-96fe-1a63-e053-0824d011072a", null, null))
                .errors().get(Field.TEAM_ID).english()).startsWith("This looks like the Issuer ID");
    }

    @Test
    void issuer_id_pasted_as_key_id_is_recognised() {
        assertThat(DetailsForm.check(input("A", null, null, null, "57246542-96fe-1a63-e053-0824d011072a"))
                .errors().get(Field.KEY_ID).english()).startsWith("This looks like the Issuer ID");
    }

    @Test
    void issuer_id_must_be_a_uuid() {
        assertThat(DetailsForm.check(input("A", null, null, "57246542-96fe-1a63", null)).errors()
                .get(Field.ISSUER_ID).english()).contains("UUID");
        assertThat(DetailsForm.check(input("A", null, null, "A1B2C3D4E5", null)).errors()
                .get(Field.ISSUER_ID).english()).contains("looks like a Team ID or Key ID");
    }

    @Test
    void key_id_equal_to_team_id_is_a_slip() {
        assertThat(DetailsForm.check(input("A", null, "A1B2C3D4E5", null, "a1b2c3d4e5")).errors()
                .get(Field.KEY_ID).english()).contains("same as the Team ID");
    }

    @Test
    void overlong_names_are_refused() {
        String longName = "x".repeat(201);
        var errors = DetailsForm.check(input(longName, longName, null, null, null)).errors();
        assertThat(errors).containsKeys(Field.CUSTOMER, Field.TEAM_NAME);
    }

    @Test
    void the_slack_form_keeps_its_english_sentences() {
        assertThat(DetailsForm.check(input("A", null, "ABC123", null, null)).errors().get(Field.TEAM_ID).english())
                .isEqualTo("A Team ID is exactly 10 letters or digits, e.g. A1B2C3D4E5 (this has 6 characters); it is "
                        + "found under Membership details at developer.apple.com/account.");
        assertThat(DetailsForm.check(input("A", null, null, "nope", null)).errors().get(Field.ISSUER_ID).english())
                .isEqualTo("An Issuer ID is a UUID (8-4-4-4-12 hexadecimal digits, this has 4 characters); the Issuer "
                        + "ID is a UUID such as 57246542-96fe-1a63-e053-0824d011072a, shown above the keys in App Store "
                        + "Connect → Users and Access → Integrations.");
        assertThat(DetailsForm.check(input("A", null, "A", null, null)).errors().get(Field.TEAM_ID).english())
                .contains("(this has 1 character)");
    }

    @Test
    void errors_read_in_the_customers_language_with_apples_names_for_the_fields() {
        Message teamId = DetailsForm.check(input("A", null, "ABC 123", null, null)).errors().get(Field.TEAM_ID);
        assertThat(Texts.render(Language.FR, teamId)).startsWith("Un ID d’équipe compte exactement 10 lettres ou "
                + "chiffres").contains("des espaces", "Détails de l’adhésion");
        Message issuer = DetailsForm.check(input("A", null, null, "A1B2C3D4E5", null)).errors().get(Field.ISSUER_ID);
        assertThat(Texts.render(Language.DE, issuer)).startsWith("Das sieht nach einer Team-ID oder Schlüssel-ID");
        assertThat(Texts.render(Language.ES, issuer)).contains("el ID del emisor es un UUID");
    }

    @Test
    void entered_fields_are_checked_by_the_same_rules_against_the_rest() {
        TicketDetails current = new TicketDetails("Acme", null, null, null, "A1B2C3D4E5");
        Map<Field, String> entered = new EnumMap<>(Field.class);
        entered.put(Field.ISSUER_ID, " 57246542-96FE-1A63-E053-0824D011072A ");
        entered.put(Field.TEAM_ID, "team000001");
        entered.put(Field.TEAM_NAME, "  ");

        var result = DetailsForm.checkEntered(current, entered);

        assertThat(result.errors()).isEmpty();
        assertThat(result.details()).isEqualTo(new TicketDetails("Acme", null, "TEAM000001",
                "57246542-96fe-1a63-e053-0824d011072a", "A1B2C3D4E5"));
    }

    @Test
    void an_entered_team_id_equal_to_the_key_id_is_refused_on_the_team_id() {
        TicketDetails current = new TicketDetails("Acme", null, null, null, "A1B2C3D4E5");
        var result = DetailsForm.checkEntered(current, Map.of(Field.TEAM_ID, "a1b2c3d4e5",
                Field.ISSUER_ID, "not-a-uuid"));

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).containsOnlyKeys(Field.TEAM_ID, Field.ISSUER_ID);
        assertThat(result.errors().get(Field.TEAM_ID).english()).startsWith("The Team ID is the same as the Key ID");
    }

    @Test
    void ticket_keys_parse_leniently() {
        assertThat(Ticket.parseKey("ASC-12")).isEqualTo(12);
        assertThat(Ticket.parseKey(" asc-7 ")).isEqualTo(7);
        assertThat(Ticket.parseKey("#3")).isEqualTo(3);
        assertThat(Ticket.parseKey("ASC-")).isEqualTo(-1);
        assertThat(Ticket.parseKey("ASC-1x")).isEqualTo(-1);
        assertThat(Ticket.parseKey("99999999999999999999")).isEqualTo(-1);
    }
}
