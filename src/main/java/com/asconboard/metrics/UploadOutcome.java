package com.asconboard.metrics;

/** What became of a POST to an upload link, one value per answer of the HTTP contract. */
public enum UploadOutcome {
    ACCEPTED(200), INVALID_KEY(400), CROSS_SITE(403), UNKNOWN_LINK(404), BEING_CHECKED(409), USED_OR_EXPIRED(410),
    TOO_LARGE(413), TOO_MANY_ATTEMPTS(429), ERROR(500);

    private final int status;

    UploadOutcome(int status) {
        this.status = status;
    }

    /** The outcome an answer with {@code status} stands for; any status outside the contract is an error. */
    public static UploadOutcome of(int status) {
        for (UploadOutcome outcome : values()) {
            if (outcome.status == status) {
                return outcome;
            }
        }
        return ERROR;
    }
}
