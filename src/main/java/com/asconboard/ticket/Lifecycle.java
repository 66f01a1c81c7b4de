package com.asconboard.ticket;

/**
 * Where a customer's account stands with the vendor. A ticket is {@code ONBOARDING} until the five steps pass,
 * then {@code ACTIVE} (watched for years) until it is {@code OFFBOARDED}; an onboarding that never completed
 * is {@code CLOSED}. The two ends keep the history and destroy the secrets.
 */
public enum Lifecycle {
    ONBOARDING, ACTIVE, OFFBOARDED, CLOSED;

    /** Still being worked on: takes edits, uploads and verifications. */
    public boolean isOpen() {
        return this == ONBOARDING || this == ACTIVE;
    }

    /** The name operators and users see, e.g. {@code active}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
