package com.asconboard.upload;

import com.asconboard.asc.AppleWords;
import com.asconboard.asc.Diagnosis;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.i18n.Message;
import com.asconboard.ticket.TicketDetails;

/**
 * What Apple made of the key that came through a link, as the customer's page tells it: the key works for
 * the vendor, Apple rejects it (and why, so the page can say what to fix), or Apple could not tell. Stored
 * with the link by name: add, never rename.
 */
public enum Verdict {
    /** The key authenticates, reaches the certificates and belongs to the expected team. */
    VERIFIED,
    /** Apple could not be reached, or the verification could not tell: the key stays stored. */
    UNCONFIRMED,
    KEY_REJECTED,
    ROLE_TOO_LOW,
    MEMBERSHIP_LAPSED,
    AGREEMENT_MISSING,
    WRONG_TEAM,
    /** A 403 the bot does not know; the page quotes Apple's words. */
    FORBIDDEN_OTHER;

    /** The reason of a Team check that found the key in another team than the ticket's (asc.Verifier's words). */
    static final String OTHER_TEAM = "but the key belongs to Team ID";
    private static final String FORBIDDEN_PREFIX = "(HTTP 403, ";

    /** Apple rejects the key: the link takes a corrected one. */
    public boolean rejects() {
        return this != VERIFIED && this != UNCONFIRMED;
    }

    /** A verdict and, for {@link #FORBIDDEN_OTHER}, Apple's words (made safe); detail is null otherwise. */
    record Reading(Verdict verdict, String detail) {
    }

    /**
     * Reads a verification report. A refusal of the key (authentication or access to certificates failed,
     * or the key is of another team) is a rejection; the key works when authentication and access to
     * certificates passed and the team is not another one (a team that could not be read for want of
     * certificates or bundle IDs, or a Team Name spelled differently, is the vendor's to settle, not the
     * key's); anything else could not be told.
     */
    static Reading of(VerificationReport report) {
        for (Kind kind : new Kind[] {Kind.AUTHENTICATION, Kind.PROVISIONING}) {
            Check check = report.check(kind);
            if (check.outcome() == Outcome.FAILED && check.cause() != null) {
                Verdict rejection = rejection(check.cause());
                if (rejection != null) {
                    return new Reading(rejection, rejection == FORBIDDEN_OTHER ? appleWords(check.reason()) : null);
                }
            }
        }
        Check team = report.check(Kind.TEAM);
        if (team.outcome() == Outcome.FAILED && team.reason() != null && team.reason().contains(OTHER_TEAM)) {
            return new Reading(WRONG_TEAM, null);
        }
        boolean works = report.check(Kind.AUTHENTICATION).outcome() == Outcome.PASSED
                && report.check(Kind.PROVISIONING).outcome() == Outcome.PASSED
                && !(team.outcome() == Outcome.UNKNOWN && team.cause() != null);
        return new Reading(works ? VERIFIED : UNCONFIRMED, null);
    }

    private static Verdict rejection(Diagnosis.Kind cause) {
        return switch (cause) {
            case KEY_REJECTED -> KEY_REJECTED;
            case ROLE_TOO_LOW -> ROLE_TOO_LOW;
            case MEMBERSHIP_LAPSED -> MEMBERSHIP_LAPSED;
            case AGREEMENT_MISSING -> AGREEMENT_MISSING;
            case FORBIDDEN_OTHER -> FORBIDDEN_OTHER;
            default -> null;
        };
    }

    /** What Apple said, from a check's reason "Apple refused the request (HTTP 403, …)"; the reason otherwise. */
    static String appleWords(String reason) {
        if (reason == null) {
            return "";
        }
        int start = reason.indexOf(FORBIDDEN_PREFIX);
        String words = start < 0 || !reason.endsWith(")") ? reason
                : reason.substring(start + FORBIDDEN_PREFIX.length(), reason.length() - 1);
        return AppleWords.quote(words);
    }

    /** What Apple made of the key and what to fix, as the page says it; {@code detail}: Apple's words, if any. */
    Message explained(String detail, TicketDetails details) {
        return switch (this) {
            case KEY_REJECTED -> Message.of("verdict.key_rejected");
            case ROLE_TOO_LOW -> Message.of("verdict.role_too_low");
            case MEMBERSHIP_LAPSED -> Message.of("verdict.membership_lapsed");
            case AGREEMENT_MISSING -> Message.of("verdict.agreement_missing");
            case WRONG_TEAM -> Message.of("verdict.wrong_team", team(details));
            case FORBIDDEN_OTHER -> Message.of("verdict.forbidden_other", detail == null ? "" : detail);
            case VERIFIED, UNCONFIRMED -> throw new IllegalStateException(this + " is no rejection");
        };
    }

    /** The team the ticket expects, as a customer recognises it: its name and Team ID. */
    static String team(TicketDetails details) {
        if (details.teamName() != null && details.teamId() != null) {
            return details.teamName() + " (" + details.teamId() + ")";
        }
        return details.teamId() != null ? details.teamId() : String.valueOf(details.teamName());
    }

    /** A few words for the ticket's thread. */
    String headline(TicketDetails details) {
        String expectedTeam = team(details);
        return switch (this) {
            case VERIFIED -> "Apple accepts the key";
            case UNCONFIRMED -> "Apple could not be asked";
            case KEY_REJECTED -> Diagnosis.Kind.KEY_REJECTED.headline() + " (not authorised: wrong Issuer ID or "
                    + "Key ID, or a revoked key)";
            case ROLE_TOO_LOW -> Diagnosis.Kind.ROLE_TOO_LOW.headline();
            case MEMBERSHIP_LAPSED -> Diagnosis.Kind.MEMBERSHIP_LAPSED.headline();
            case AGREEMENT_MISSING -> Diagnosis.Kind.AGREEMENT_MISSING.headline();
            case WRONG_TEAM -> "the key belongs to another team than " + expectedTeam;
            case FORBIDDEN_OTHER -> Diagnosis.Kind.FORBIDDEN_OTHER.headline();
        };
    }
}
