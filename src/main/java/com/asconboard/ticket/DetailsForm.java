package com.asconboard.ticket;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks and normalises what an engineer typed into the onboarding form. Problems come back as
 * data, one sentence per field, so the form can show them next to the input.
 */
public final class DetailsForm {
    public static final int MAX_NAME_LENGTH = 200;

    private static final Pattern APPLE_ID = Pattern.compile("[A-Z0-9]{10}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String ISSUER_HINT = "the Issuer ID is a UUID such as 57246542-96fe-1a63-e053-0824d011072a, "
            + "shown above the keys in App Store Connect → Users and Access → Integrations";

    private DetailsForm() {
    }

    /** Either normalised details or, per field, why the input was refused. */
    public record Result(TicketDetails details, Map<Field, String> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public static Result check(Map<Field, String> input) {
        Map<Field, String> errors = new EnumMap<>(Field.class);
        String customer = clean(input.get(Field.CUSTOMER));
        if (customer == null) {
            errors.put(Field.CUSTOMER, "Enter the customer's name, e.g. the company whose App Store Connect account this is.");
        } else if (customer.length() > MAX_NAME_LENGTH) {
            errors.put(Field.CUSTOMER, "Keep the customer's name under " + MAX_NAME_LENGTH + " characters.");
        }
        String teamName = clean(input.get(Field.TEAM_NAME));
        if (teamName != null && teamName.length() > MAX_NAME_LENGTH) {
            errors.put(Field.TEAM_NAME, "Keep the Team Name under " + MAX_NAME_LENGTH + " characters.");
        }
        String teamId = appleId(Field.TEAM_ID, input.get(Field.TEAM_ID), errors,
                "found under Membership details at developer.apple.com/account");
        String keyId = appleId(Field.KEY_ID, input.get(Field.KEY_ID), errors,
                "shown next to the key in App Store Connect → Users and Access → Integrations, and in its file name AuthKey_<Key ID>.p8");
        String issuerId = issuerId(input.get(Field.ISSUER_ID), errors);
        if (teamId != null && teamId.equals(keyId) && !errors.containsKey(Field.KEY_ID)) {
            errors.put(Field.KEY_ID, "The Key ID is the same as the Team ID. The Key ID belongs to the API key: "
                    + "copy it from the key's row in Users and Access → Integrations.");
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new TicketDetails(customer, teamName, teamId, issuerId, keyId), errors);
    }

    private static String appleId(Field field, String raw, Map<Field, String> errors, String where) {
        String value = clean(raw);
        if (value == null) {
            return null;
        }
        if (UUID.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
            errors.put(field, "This looks like the Issuer ID (a UUID). The " + field.label()
                    + " is 10 letters or digits, e.g. A1B2C3D4E5, " + where + ".");
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!APPLE_ID.matcher(upper).matches()) {
            errors.put(field, "A " + field.label() + " is exactly 10 letters or digits, e.g. A1B2C3D4E5 ("
                    + describe(value) + "); it is " + where + ".");
            return null;
        }
        return upper;
    }

    private static String issuerId(String raw, Map<Field, String> errors) {
        String value = clean(raw);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (UUID.matcher(lower).matches()) {
            return lower;
        }
        if (APPLE_ID.matcher(value.toUpperCase(Locale.ROOT)).matches()) {
            errors.put(Field.ISSUER_ID, "This looks like a Team ID or Key ID (10 characters); " + ISSUER_HINT + ".");
        } else {
            errors.put(Field.ISSUER_ID, "An Issuer ID is a UUID (8-4-4-4-12 hexadecimal digits, " + describe(value)
                    + "); " + ISSUER_HINT + ".");
        }
        return null;
    }

    private static String describe(String value) {
        int length = value.codePointCount(0, value.length());
        if (!value.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
            return "this has spaces or other characters that are not letters or digits";
        }
        return "this has " + length + " character" + (length == 1 ? "" : "s");
    }

    /** Trims all kinds of white space, including the no-break spaces that copying from web pages brings. */
    static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.replace('\u00A0', ' ').replace("\u200B", "").replace("\uFEFF", "").strip();
        return value.isEmpty() ? null : value;
    }
}
