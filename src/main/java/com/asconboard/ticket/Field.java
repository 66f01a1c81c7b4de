package com.asconboard.ticket;

/** The inputs of the onboarding form, with the labels users see. */
public enum Field {
    CUSTOMER("Customer"),
    TEAM_NAME("Team Name"),
    TEAM_ID("Team ID"),
    ISSUER_ID("Issuer ID"),
    KEY_ID("Key ID");

    private final String label;

    Field(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
