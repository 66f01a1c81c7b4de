package com.asconboard.ticket;

import com.asconboard.i18n.Message;

/** The inputs of the onboarding form, with the labels users see. */
public enum Field {
    CUSTOMER("Customer", "field.customer"),
    TEAM_NAME("Team Name", "field.team_name"),
    TEAM_ID("Team ID", "field.team_id"),
    ISSUER_ID("Issuer ID", "field.issuer_id"),
    KEY_ID("Key ID", "field.key_id");

    private final String label;
    private final String labelKey;

    Field(String label, String labelKey) {
        this.label = label;
        this.labelKey = labelKey;
    }

    /** The label in English, as the Slack form shows it. */
    public String label() {
        return label;
    }

    /** The label as a text of the customer's page, in any of its languages (Apple's own words for the IDs). */
    public Message labelText() {
        return Message.of(labelKey);
    }

    /** The field's value in {@code details}, or null. */
    public String valueIn(TicketDetails details) {
        return switch (this) {
            case CUSTOMER -> details.customer();
            case TEAM_NAME -> details.teamName();
            case TEAM_ID -> details.teamId();
            case ISSUER_ID -> details.issuerId();
            case KEY_ID -> details.keyId();
        };
    }

    /** {@code details} with this field set to {@code value}. */
    public TicketDetails withValue(TicketDetails details, String value) {
        return new TicketDetails(
                this == CUSTOMER ? value : details.customer(),
                this == TEAM_NAME ? value : details.teamName(),
                this == TEAM_ID ? value : details.teamId(),
                this == ISSUER_ID ? value : details.issuerId(),
                this == KEY_ID ? value : details.keyId());
    }
}
