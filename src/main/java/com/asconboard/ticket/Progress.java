package com.asconboard.ticket;

import com.asconboard.asc.ReportText;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a ticket stands: the five onboarding steps, verification and certificate, derived from its
 * state and its latest verification report.
 */
public record Progress(List<Step> steps, String verification, String certificate, boolean awaitsAccessConfirmation) {

    private static final java.time.format.DateTimeFormatter DAY = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd").withZone(java.time.ZoneOffset.UTC);

    /** Where the ticket stands at {@code now} (certificates expire). */
    public static Progress of(Ticket ticket, java.time.Instant now) {
        TicketDetails d = ticket.details();
        VerificationReport report = ticket.verification().report();
        Step invite = invite(ticket, report);
        List<Step> steps = List.of(
                invite,
                apiKey(ticket, report),
                withCheck(pair(3, "Team Name and Team ID", "Team Name", d.teamName(), "Team ID", d.teamId()),
                        report, Kind.TEAM),
                pair(4, "Issuer ID and Key ID", "Issuer ID", d.issuerId(), "Key ID", d.keyId()),
                slot(ticket, report, now));
        return new Progress(steps, verification(ticket), certificate(ticket, now),
                ticket.isOpen() && ticket.accessConfirmedBy() == null && report != null
                        && report.check(Kind.VENDOR_USER).outcome() == Outcome.UNKNOWN
                        && report.check(Kind.AUTHENTICATION).outcome() == Outcome.PASSED);
    }

    public long done() {
        return steps.stream().filter(s -> s.state() == Step.State.DONE).count();
    }

    private static String verification(Ticket ticket) {
        Verification v = ticket.verification();
        if (v.running()) {
            return "verifying…";
        }
        if (v.report() != null) {
            return ReportText.summary(v.report());
        }
        return "not run yet: " + VerificationService.missing(ticket).orElse("press Verify now");
    }

    private static Step invite(Ticket ticket, VerificationReport report) {
        String title = "Vendor invited with certificate access";
        if (ticket.accessConfirmedBy() != null) {
            return new Step(1, title, Step.State.DONE, "confirmed by hand");
        }
        if (report == null) {
            return new Step(1, title, Step.State.WAITING, "not confirmed yet");
        }
        Check check = report.check(Kind.VENDOR_USER);
        return new Step(1, title, state(check.outcome()), check.reason()
                + (check.outcome() == Outcome.UNKNOWN && report.check(Kind.AUTHENTICATION).outcome() == Outcome.PASSED
                        ? " — press Confirm access granted once the customer confirms" : ""));
    }

    private static Step apiKey(Ticket ticket, VerificationReport report) {
        String title = "App Manager API key (.p8) handed over";
        if (!ticket.hasKey()) {
            return new Step(2, title, Step.State.WAITING, "no key received yet");
        }
        String received = "key AuthKey_" + (ticket.details().keyId() == null ? "<Key ID>" : ticket.details().keyId())
                + ".p8 received";
        if (report != null) {
            for (Kind kind : List.of(Kind.AUTHENTICATION, Kind.PROVISIONING)) {
                Check check = report.check(kind);
                if (check.outcome() == Outcome.FAILED) {
                    return new Step(2, title, Step.State.PROBLEM, check.reason());
                }
            }
            if (report.check(Kind.PROVISIONING).outcome() == Outcome.PASSED) {
                return new Step(2, title, Step.State.DONE, received + " and accepted by Apple");
            }
        }
        return new Step(2, title, Step.State.DONE, received);
    }

    private static String certificate(Ticket ticket, java.time.Instant now) {
        VendorCertificate c = ticket.certificate();
        if (c != null && c.status() == VendorCertificate.Status.REVOKED) {
            return "❌ the vendor's certificate (serial " + c.serial() + ") was revoked"
                    + (ticket.certificateProblem() == null ? "" : "; " + ticket.certificateProblem());
        }
        if (c != null && !c.usable(now)) {
            return "❌ the vendor's certificate expired " + DAY.format(c.expiresAt());
        }
        if (c != null) {
            return "✅ " + c.name() + " · serial " + c.serial() + " · expires " + DAY.format(c.expiresAt());
        }
        if (ticket.certificateProblem() != null) {
            return "❌ not created: " + ticket.certificateProblem();
        }
        return "none yet";
    }

    private static Step slot(Ticket ticket, VerificationReport report, java.time.Instant now) {
        String title = "Distribution-certificate slot for the vendor";
        VendorCertificate c = ticket.certificate();
        if (c != null && c.usable(now) && c.status() != VendorCertificate.Status.REVOKED) {
            String census = report == null ? "" : " (" + report.census().census() + ")";
            return new Step(5, title, Step.State.DONE, "the vendor's certificate holds a slot until "
                    + DAY.format(c.expiresAt()) + census);
        }
        if (report == null) {
            return new Step(5, title, Step.State.WAITING, "checked once the key is verified");
        }
        Check check = report.check(Kind.SLOTS);
        return new Step(5, title, check.outcome() == Outcome.UNKNOWN ? Step.State.WAITING : state(check.outcome()),
                check.reason());
    }

    private static Step withCheck(Step step, VerificationReport report, Kind kind) {
        if (report != null && report.check(kind).outcome() == Outcome.FAILED) {
            return new Step(step.number(), step.title(), Step.State.PROBLEM, report.check(kind).reason());
        }
        return step;
    }

    private static Step.State state(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> Step.State.DONE;
            case FAILED -> Step.State.PROBLEM;
            case UNKNOWN -> Step.State.WAITING;
        };
    }

    private static Step pair(int number, String title, String firstName, String first, String secondName,
            String second) {
        if (first != null && second != null) {
            return new Step(number, title, Step.State.DONE, firstName + " " + first + " · " + secondName + " " + second);
        }
        List<String> missing = new ArrayList<>();
        if (first == null) {
            missing.add(firstName);
        }
        if (second == null) {
            missing.add(secondName);
        }
        return new Step(number, title, Step.State.WAITING, String.join(" and ", missing) + " missing");
    }
}
