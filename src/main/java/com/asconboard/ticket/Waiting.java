package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Who an open ticket waits on, for what and since when — derived from its state, its latest report and its
 * pending upload link. A wait on the customer (the link not used, the key not verified) or on the vendor user's
 * invitation carries the reminder it gets: its waiting period (reminded once), when it is due and the next step.
 */
public record Waiting(Party on, String what, Instant since, Reminder reminder) {
    /** Apple's invitations to a new user expire after this long. */
    static final Duration INVITATION_LIFETIME = Duration.ofDays(3);
    /** A link or an invitation is reminded at the latest this long before it expires. */
    static final Duration BEFORE_EXPIRY = Duration.ofDays(1);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Whose move it is. */
    public enum Party {
        CUSTOMER("the customer"), VENDOR("the vendor"), OWNER("the ticket's owner"), APPLE("Apple"),
        NOBODY("nobody");

        private final String words;

        Party(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** The reminder of one waiting period: {@code period} names it (reminded once), due at {@code due}. */
    public record Reminder(String period, Instant due, String nextStep) {
    }

    /**
     * Where an open ticket waits at {@code now}. {@code link} is its pending upload link (null when none);
     * {@code remindAfter} is how long a wait on the customer lasts before its reminder.
     */
    public static Waiting of(Ticket ticket, PendingLink link, Duration remindAfter, Instant now) {
        if (ticket.verification().running()) {
            return new Waiting(Party.APPLE, "verifying the key", ticket.updatedAt(), null);
        }
        if (link != null && now.isBefore(link.expiresAt())) {
            return linkUnused(ticket, link, remindAfter);
        }
        if (ticket.isActive()) {
            return new Waiting(Party.NOBODY, "active and watched", ticket.activatedAt(), null);
        }
        if (!ticket.hasKey()) {
            return new Waiting(Party.OWNER, "send the customer an Upload link", ticket.createdAt(), null);
        }
        VerificationReport report = ticket.verification().report();
        if (report != null && report.invitation() != null
                && report.check(Kind.VENDOR_USER).outcome() == Outcome.FAILED) {
            return invitation(report, remindAfter, now);
        }
        java.util.Optional<String> missing = VerificationService.missing(ticket);
        if (missing.isPresent() || (report != null && report.failures() > 0)) {
            return keyNotVerified(ticket, report, missing.orElse(null), remindAfter);
        }
        if (report == null || !report.verified()) {
            return new Waiting(Party.OWNER, "press Verify now", ticket.updatedAt(), null);
        }
        return nextStep(ticket, now);
    }

    private static Waiting linkUnused(Ticket ticket, PendingLink link, Duration remindAfter) {
        Instant due = link.createdAt().plus(remindAfter);
        Instant dayBefore = link.expiresAt().minus(BEFORE_EXPIRY);
        if (dayBefore.isAfter(link.createdAt()) && dayBefore.isBefore(due)) {
            due = dayBefore;
        }
        Reminder reminder = due.isBefore(link.expiresAt()) ? new Reminder("link:" + link.id(), due,
                "the customer has not used the upload link sent " + WHEN.format(link.createdAt()) + "; it expires "
                        + WHEN.format(link.expiresAt()) + ". Ask them to upload AuthKey_"
                        + (ticket.details().keyId() == null ? "<Key ID>" : ticket.details().keyId())
                        + ".p8 (a Team key with the App Manager role) before then, or send a new Upload link.") : null;
        return new Waiting(Party.CUSTOMER, "upload the .p8 through the link sent " + WHEN.format(link.createdAt()),
                link.createdAt(), reminder);
    }

    private static Waiting invitation(VerificationReport report, Duration remindAfter, Instant now) {
        VerificationReport.Invitation invitation = report.invitation();
        Instant expires = invitation.expires();
        Instant since = expires == null ? report.at() : expires.minus(INVITATION_LIFETIME);
        Instant due = since.plus(remindAfter);
        if (expires != null && expires.minus(BEFORE_EXPIRY).isBefore(due)) {
            due = expires.minus(BEFORE_EXPIRY);
        }
        boolean expired = expires != null && !now.isBefore(expires);
        String when = expires == null ? "" : (expired ? " (expired " : " (expires ") + WHEN.format(expires) + ")";
        String step = expired
                ? "the App Store Connect invitation to " + invitation.email() + " expired " + WHEN.format(expires)
                        + " unaccepted. Ask the customer to invite " + invitation.email() + " again, then accept it."
                : "the App Store Connect invitation to " + invitation.email() + " is not accepted yet"
                        + (expires == null ? "" : "; it expires " + WHEN.format(expires))
                        + ". Accept it from Apple's e-mail to " + invitation.email() + ", then press Verify now.";
        return new Waiting(Party.VENDOR, "accept the invitation to " + invitation.email() + when, since,
                new Reminder("invitation:" + (expires == null ? "pending" : expires.toString()), due, step));
    }

    private static Waiting keyNotVerified(Ticket ticket, VerificationReport report, String missing,
            Duration remindAfter) {
        Instant since = ticket.keyReceivedAt();
        String what;
        String step;
        if (missing != null) {
            what = "tell the vendor what the key " + missing.replaceFirst("^needs ", "still needs: ");
            step = "the .p8 arrived " + WHEN.format(since) + " but the key cannot be verified: it " + missing
                    + ". Ask the customer for it, then add it with Edit details.";
        } else {
            VerificationReport.Check failed = report.checks().stream().filter(c -> c.outcome() == Outcome.FAILED)
                    .findFirst().orElseThrow();
            what = "fix: " + failed.reason();
            step = "the key received " + WHEN.format(since) + " is not verified: " + failed.reason() + "."
                    + (failed.fix() == null ? "" : " Next step: " + failed.fix());
        }
        return new Waiting(Party.CUSTOMER, what, since,
                new Reminder("key:" + since.toEpochMilli(), since.plus(remindAfter), step));
    }

    private static Waiting nextStep(Ticket ticket, Instant now) {
        if (ticket.certificatePending()) {
            return new Waiting(Party.APPLE, "creating the vendor's certificate", ticket.updatedAt(), null);
        }
        Progress progress = Progress.of(ticket, now);
        if (progress.awaitsAccessConfirmation()) {
            return new Waiting(Party.CUSTOMER, "confirm the vendor user's invitation (then press Confirm access "
                    + "granted)", ticket.updatedAt(), null);
        }
        for (Step step : progress.steps()) {
            if (step.state() != Step.State.DONE) {
                Party party = step.number() == 5 || step.number() == 1 ? Party.CUSTOMER : Party.OWNER;
                return new Waiting(party, step.title() + ": " + step.reason(), ticket.updatedAt(), null);
            }
        }
        return new Waiting(Party.NOBODY, "all steps done", ticket.updatedAt(), null);
    }
}
