package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Why an account needs someone's attention, from its stored state and latest report: the key rejected (also
 * for a missing agreement or a role too low), the vendor's certificate revoked, expired or expiring within
 * {@value #EXPIRING_WITHIN_DAYS} days, no certificate created, the slots full, the vendor user's invitation
 * pending or expired, the team or membership not as claimed. Empty when nothing does.
 */
public final class Attention {
    public static final int EXPIRING_WITHIN_DAYS = 30;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Attention() {
    }

    public static List<String> of(Ticket ticket, Instant now) {
        List<String> reasons = new ArrayList<>();
        VerificationReport report = ticket.verification().report();
        if (report != null) {
            Check auth = report.check(Kind.AUTHENTICATION);
            if (auth.outcome() == Outcome.FAILED) {
                reasons.add("key rejected: " + auth.reason());
            }
        }
        VendorCertificate cert = ticket.certificate();
        if (cert != null && cert.status() == VendorCertificate.Status.REVOKED) {
            reasons.add("the vendor's certificate (serial " + cert.serial() + ") was revoked");
        } else if (cert != null && !cert.usable(now)) {
            reasons.add("the vendor's certificate expired " + DAY.format(cert.expiresAt()));
        } else if (cert != null && cert.daysLeft(now) <= EXPIRING_WITHIN_DAYS) {
            long days = cert.daysLeft(now);
            reasons.add("the vendor's certificate expires " + DAY.format(cert.expiresAt()) + " (in "
                    + (days <= 0 ? "less than a day" : days + " day" + (days == 1 ? "" : "s")) + ")");
        } else if (cert == null && ticket.certificateProblem() != null) {
            reasons.add("no certificate: " + firstLine(ticket.certificateProblem()));
        }
        if (report == null) {
            return reasons;
        }
        if (report.invitation() != null && report.check(Kind.VENDOR_USER).outcome() == Outcome.FAILED) {
            Instant expires = report.invitation().expires();
            reasons.add("invitation to " + report.invitation().email() + (expires == null ? " pending"
                    : !now.isBefore(expires) ? " expired " + DAY.format(expires)
                    : " pending, expires " + DAY.format(expires)));
        }
        for (Check check : report.checks()) {
            boolean told = check.kind() == Kind.AUTHENTICATION
                    || (check.kind() == Kind.VENDOR_USER && report.invitation() != null);
            if (check.outcome() == Outcome.FAILED && !told) {
                reasons.add((check.kind() == Kind.SLOTS ? "slots full: " : check.kind().title() + ": ")
                        + check.reason());
            }
        }
        return reasons;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
