package com.asconboard.asc;

import java.util.regex.Pattern;

/**
 * What a failed App Store Connect call means, in one place for the verification report, the status line,
 * the watcher and certificate creation: a {@link Kind}, the problem in a sentence, the fix, and who must
 * act. Apple answers several different situations with the same 403 {@code FORBIDDEN_ERROR} code and
 * title, so the {@code detail} decides; an unknown detail is quoted (made safe by {@link AppleWords}).
 */
public record Diagnosis(Kind kind, String problem, String fix) {

    /** Who can make the problem go away. */
    public enum Actor {
        ACCOUNT_HOLDER("the Account Holder"),
        CUSTOMER_ADMIN("the customer's App Store Connect admin"),
        OPERATOR("the bot's operators"),
        NOBODY("nobody: it passes by itself and the bot tries again");

        private final String words;

        Actor(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** The situations the bot tells apart. Names are stored with reports: add, never rename. */
    public enum Kind {
        /** 401: Apple does not accept the key (revoked, wrong Issuer ID or Key ID, or a spurious 401). */
        KEY_REJECTED(Actor.CUSTOMER_ADMIN, "Apple rejects the key"),
        /** 403 "The API key in use does not allow this request": the key's role is too low. */
        ROLE_TOO_LOW(Actor.CUSTOMER_ADMIN, "the key's role is too low: a new App Manager key is needed"),
        /** 403 "… is not associated with an active membership": the Apple Developer Program lapsed. */
        MEMBERSHIP_LAPSED(Actor.ACCOUNT_HOLDER, "the Apple Developer Program membership has lapsed: the Account "
                + "Holder must renew it"),
        /** 403 FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED. */
        AGREEMENT_MISSING(Actor.ACCOUNT_HOLDER, "an Apple agreement must be accepted by the Account Holder"),
        /** Any other 403: Apple's words are quoted. */
        FORBIDDEN_OTHER(Actor.CUSTOMER_ADMIN, "Apple refuses the request"),
        /** 409 "You already have a current … certificate or a pending certificate request". */
        SLOTS_FULL(Actor.CUSTOMER_ADMIN, "all distribution-certificate slots are in use"),
        /** 429. */
        RATE_LIMITED(Actor.NOBODY, "App Store Connect's rate limit is reached for now"),
        /** No answer: network failure, timeout. */
        UNREACHABLE(Actor.NOBODY, "App Store Connect did not answer"),
        /** 5xx, or an answer that is not the JSON Apple documents. */
        APPLE_FAILED(Actor.NOBODY, "App Store Connect failed to answer properly"),
        /** Any other 4xx: the request itself was refused. */
        REQUEST_REFUSED(Actor.OPERATOR, "App Store Connect refused the bot's request");

        private final Actor actor;
        private final String headline;

        Kind(Actor actor, String headline) {
            this.actor = actor;
            this.headline = headline;
        }

        public Actor actor() {
            return actor;
        }

        /** A few words for a status line. */
        public String headline() {
            return headline;
        }

        /** Blocks everything for the whole account until the Account Holder acts; a new key will not help. */
        public boolean blocksAccount() {
            return this == MEMBERSHIP_LAPSED || this == AGREEMENT_MISSING;
        }

        /** Goes away without anyone acting: retry later rather than alarm anyone. */
        public boolean passesByItself() {
            return actor == Actor.NOBODY;
        }

        /** Apple is known to answer this spuriously for a valid key: confirm on a later re-check before alarming. */
        public boolean confirmBeforeAlarm() {
            return this == KEY_REJECTED;
        }
    }

    static final String AGREEMENTS_CODE = "FORBIDDEN.REQUIRED_AGREEMENTS";
    /** "Team ID: 'X' is not associated with an active membership", and other wordings of a lapsed membership. */
    private static final Pattern MEMBERSHIP = Pattern.compile(
            "(?i)\\b(not associated with an active membership|membership (has )?(expired|lapsed)|no active membership)");
    /** "The API key in use does not allow this request" (and the same for a user's session). */
    private static final Pattern ROLE = Pattern.compile("(?i)\\b(api key|key) in use does not allow this request");
    /** "You already have a current iOS Distribution certificate or a pending certificate request." — any type. */
    private static final Pattern SLOTS = Pattern.compile(
            "(?i)you already have a current\\s+(.{1,60}?)\\s*certificate or a pending certificate request");

    /**
     * What a ticket's thread says once when Apple starts refusing the whole account (a lapsed membership,
     * a missing agreement): what is wrong, who must act, and that a new key will not help.
     */
    public static String blockNotice(Kind block) {
        return switch (block) {
            case MEMBERSHIP_LAPSED -> "App Store Connect refuses this account: the team's Apple Developer Program "
                    + "membership has lapsed. The Account Holder must renew it at developer.apple.com/account "
                    + "(Membership details); a new key will not help. Certificates and releases wait until then.";
            case AGREEMENT_MISSING -> "App Store Connect refuses this account: a required Apple agreement is missing or "
                    + "has expired. The Account Holder must accept the latest agreement in App Store Connect (Business) "
                    + "or at developer.apple.com/account; a new key will not help.";
            default -> throw new IllegalArgumentException(block + " does not block an account");
        };
    }

    /** What the thread says once when the block has cleared. */
    public static String blockClearedNotice(Kind block) {
        return switch (block) {
            case MEMBERSHIP_LAPSED -> "App Store Connect answers again: the Apple Developer Program membership is "
                    + "active.";
            case AGREEMENT_MISSING -> "App Store Connect answers again: the required agreement has been accepted.";
            default -> throw new IllegalArgumentException(block + " does not block an account");
        };
    }

    /** Reads Apple's answer. */
    public static Diagnosis of(AscException e) {
        Kind kind = kindOf(e);
        return new Diagnosis(kind, problem(kind, e), fix(kind));
    }

    /** Who must act, in words ("the Account Holder"). */
    public String actor() {
        return kind.actor().words();
    }

    /** Problem and fix as one text. */
    public String sentence() {
        return problem + ". " + fix;
    }

    static Kind kindOf(AscException e) {
        int status = e.status();
        if (status == 0) {
            return Kind.UNREACHABLE;
        }
        if (status == 401) {
            return Kind.KEY_REJECTED;
        }
        if (status == 403) {
            if (e.hasCode(AGREEMENTS_CODE)) {
                return Kind.AGREEMENT_MISSING;
            }
            if (anyWords(e, MEMBERSHIP)) {
                return Kind.MEMBERSHIP_LAPSED;
            }
            if (anyWords(e, ROLE)) {
                return Kind.ROLE_TOO_LOW;
            }
            return Kind.FORBIDDEN_OTHER;
        }
        if (status == 409 && anyWords(e, SLOTS)) {
            return Kind.SLOTS_FULL;
        }
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status >= 500 || status < 400) {
            return Kind.APPLE_FAILED;
        }
        return Kind.REQUEST_REFUSED;
    }

    /** The certificate type Apple names in a slots-full refusal ("iOS Distribution"), or null. */
    public static String slotsFullType(AscException e) {
        for (AscError error : e.errors()) {
            var m = SLOTS.matcher(error.words());
            if (m.find()) {
                return AppleWords.quote(m.group(1));
            }
        }
        return null;
    }

    private static boolean anyWords(AscException e, Pattern pattern) {
        return e.errors().stream().anyMatch(error -> pattern.matcher(error.words()).find()
                || error.title() != null && pattern.matcher(error.title()).find());
    }

    private static String problem(Kind kind, AscException e) {
        String apple = e.appleSays();
        return switch (kind) {
            case KEY_REJECTED -> "Apple rejected the key (" + apple + ")";
            case ROLE_TOO_LOW -> "Apple accepted the key but its role is too low (" + apple + ")";
            case MEMBERSHIP_LAPSED -> "the team's Apple Developer Program membership is not active: the Account "
                    + "Holder must renew it (" + apple + ")";
            case AGREEMENT_MISSING -> "a required Apple agreement is missing or has expired: only the Account Holder "
                    + "can accept it (" + apple + ")";
            case FORBIDDEN_OTHER -> "Apple refused the request (HTTP 403, " + apple + ")";
            case SLOTS_FULL -> "all " + VerificationReport.SLOT_COUNT + " distribution-certificate slots are in use ("
                    + apple + ")";
            case RATE_LIMITED -> "App Store Connect's rate limit for this key is reached (" + apple + ")";
            case UNREACHABLE -> "App Store Connect did not answer";
            case APPLE_FAILED -> "App Store Connect answered " + apple;
            case REQUEST_REFUSED -> "App Store Connect refused the request (HTTP " + e.status() + ", " + apple + ")";
        };
    }

    private static String fix(Kind kind) {
        return switch (kind) {
            case KEY_REJECTED -> "Key ID, Issuer ID and .p8 must belong to the same key; it may have been revoked. "
                    + "Check the key in App Store Connect → Users and Access → Integrations, or generate a new Team key "
                    + "(App Manager) and upload it.";
            case ROLE_TOO_LOW -> "Generate a new Team key with the App Manager role (App Store Connect → Users and "
                    + "Access → Integrations) and upload it.";
            case MEMBERSHIP_LAPSED -> "The Account Holder must renew the Apple Developer Program membership at "
                    + "developer.apple.com/account (Membership details); then press Verify now. A new key will not "
                    + "help.";
            case AGREEMENT_MISSING -> "The Account Holder must sign in to App Store Connect (Business, or "
                    + "developer.apple.com/account) and accept the latest agreement. A new key will not help.";
            case FORBIDDEN_OTHER -> "Check in App Store Connect that the key is still active with the App Manager "
                    + "role and that no notice awaits the Account Holder; then press Verify now.";
            case SLOTS_FULL -> "The customer must revoke a distribution certificate they no longer need "
                    + "(Certificates, Identifiers & Profiles → Certificates). Apps already on the App Store keep "
                    + "working.";
            case RATE_LIMITED, UNREACHABLE, APPLE_FAILED -> "Verify again later.";
            case REQUEST_REFUSED -> "Verify again later; if it keeps happening, the bot's operators should check its "
                    + "log.";
        };
    }
}
