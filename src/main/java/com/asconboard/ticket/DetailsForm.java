package com.asconboard.ticket;

import com.asconboard.i18n.Message;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks and normalises what someone typed into the onboarding form: an engineer in Slack, or the customer
 * on the upload page. Problems come back as data, one message per field, so the form can show them next to
 * the input; a {@link Message} so that Slack shows it in English and the customer's page in its language.
 */
public final class DetailsForm {
    public static final int MAX_NAME_LENGTH = 200;

    private static final Pattern APPLE_ID = Pattern.compile("[A-Z0-9]{10}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private DetailsForm() {
    }

    /** Either normalised details or, per field, why the input was refused. */
    public record Result(TicketDetails details, Map<Field, Message> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    /** The whole form, as the Slack modal submits it. */
    public static Result check(Map<Field, String> input) {
        Map<Field, Message> errors = new EnumMap<>(Field.class);
        String customer = clean(input.get(Field.CUSTOMER));
        if (customer == null) {
            errors.put(Field.CUSTOMER, Message.of("details.customer.missing"));
        }
        TicketDetails details = new TicketDetails(customer, null, null, null, null);
        for (Field field : Field.values()) {
            String value = normalise(field, input.get(field), errors);
            if (value != null) {
                details = field.withValue(details, value);
            }
        }
        if (sameTeamAndKeyId(details) && !errors.containsKey(Field.KEY_ID)) {
            errors.put(Field.KEY_ID, Message.of("details.key_id.same_as_team_id"));
        }
        return errors.isEmpty() ? new Result(details, errors) : new Result(null, errors);
    }

    /**
     * Some fields entered over {@code current} (the customer's page asks only for what the ticket lacks): each
     * entered value by the same rules as the whole form, against the rest as it is. A blank value is not
     * entered and leaves the field as it was. Errors name only entered fields.
     */
    public static Result checkEntered(TicketDetails current, Map<Field, String> entered) {
        Map<Field, Message> errors = new EnumMap<>(Field.class);
        TicketDetails details = current;
        for (Map.Entry<Field, String> input : entered.entrySet()) {
            String value = normalise(input.getKey(), input.getValue(), errors);
            if (value != null) {
                details = input.getKey().withValue(details, value);
            }
        }
        if (sameTeamAndKeyId(details)) {
            if (clean(entered.get(Field.KEY_ID)) != null) {
                errors.putIfAbsent(Field.KEY_ID, Message.of("details.key_id.same_as_team_id"));
            } else if (clean(entered.get(Field.TEAM_ID)) != null) {
                errors.putIfAbsent(Field.TEAM_ID, Message.of("details.team_id.same_as_key_id"));
            }
        }
        return errors.isEmpty() ? new Result(details, errors) : new Result(null, errors);
    }

    /** The normalised value of one field, or null when it is empty or refused (then with its error). */
    private static String normalise(Field field, String raw, Map<Field, Message> errors) {
        String value = clean(raw);
        if (value == null) {
            return null;
        }
        return switch (field) {
            case CUSTOMER -> name(field, value, errors, "details.customer.too_long");
            case TEAM_NAME -> name(field, value, errors, "details.team_name.too_long");
            case TEAM_ID -> appleId(field, value, errors, Message.of("details.where.team_id"));
            case KEY_ID -> appleId(field, value, errors, Message.of("details.where.key_id"));
            case ISSUER_ID -> issuerId(value, errors);
        };
    }

    private static String name(Field field, String value, Map<Field, Message> errors, String tooLong) {
        if (value.length() > MAX_NAME_LENGTH) {
            errors.put(field, Message.of(tooLong, MAX_NAME_LENGTH));
            return null;
        }
        return value;
    }

    private static String appleId(Field field, String value, Map<Field, Message> errors, Message where) {
        if (UUID.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
            errors.put(field, Message.of("details.apple_id.looks_like_issuer_id", field.labelText(), where));
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!APPLE_ID.matcher(upper).matches()) {
            errors.put(field, Message.of("details.apple_id.malformed", field.labelText(), describe(value), where));
            return null;
        }
        return upper;
    }

    private static String issuerId(String value, Map<Field, Message> errors) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (UUID.matcher(lower).matches()) {
            return lower;
        }
        Message hint = Message.of("details.issuer_id.hint");
        if (APPLE_ID.matcher(value.toUpperCase(Locale.ROOT)).matches()) {
            errors.put(Field.ISSUER_ID, Message.of("details.issuer_id.looks_like_apple_id", hint));
        } else {
            errors.put(Field.ISSUER_ID, Message.of("details.issuer_id.malformed", describe(value), hint));
        }
        return null;
    }

    private static boolean sameTeamAndKeyId(TicketDetails details) {
        return details.teamId() != null && details.teamId().equals(details.keyId());
    }

    private static Message describe(String value) {
        if (!value.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
            return Message.of("details.describe.other_characters");
        }
        return Message.of("details.describe.length", value.codePointCount(0, value.length()));
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
