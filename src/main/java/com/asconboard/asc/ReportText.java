package com.asconboard.asc;

import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Outcome;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A verification report in words, for the ticket's thread and the terminal alike. */
public final class ReportText {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private ReportText() {
    }

    /** The report as the thread shows it: outcome, each check, the fixes, the slots. */
    public static String describe(VerificationReport report) {
        StringBuilder text = new StringBuilder("verification: ").append(summary(report)).append('\n');
        for (Check check : report.checks()) {
            text.append(symbol(check.outcome())).append(' ').append(check.kind().title()).append(" — ")
                    .append(check.reason()).append('\n');
            if (check.fix() != null && check.outcome() != Outcome.PASSED) {
                text.append("      ↳ ").append(check.fix()).append('\n');
            }
        }
        if (!report.slots().isEmpty()) {
            text.append("Distribution certificates in the account (").append(report.census().used()).append(" of ")
                    .append(VerificationReport.SLOT_COUNT).append(" slots in use):\n");
            for (VerificationReport.Slot slot : report.slots()) {
                text.append("• ").append(CertificateSlots.line(slot)).append('\n');
            }
        }
        return text.toString().stripTrailing();
    }

    /**
     * One line for the status message: verified, or how many problems — led by what Apple's refusal means
     * when there is one (e.g. the Account Holder must renew the membership) — or that it could not finish.
     */
    public static String summary(VerificationReport report) {
        if (report.verified()) {
            return "✅ verified " + DAY.format(report.at());
        }
        long failures = report.failures();
        if (failures > 0) {
            String headline = report.checks().stream().filter(c -> c.outcome() == Outcome.FAILED && c.cause() != null)
                    .findFirst().map(c -> ": " + c.cause().headline()).orElse("");
            return "❌ " + failures + " problem" + (failures == 1 ? "" : "s") + " to fix (checked "
                    + DAY.format(report.at()) + ")" + headline;
        }
        String reason = report.checks().stream().filter(c -> c.outcome() != Outcome.PASSED).findFirst()
                .map(Check::reason).orElse("some checks could not be made");
        return "❔ could not finish (" + DAY.format(report.at()) + "): " + reason;
    }

    public static String symbol(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> "✅";
            case FAILED -> "❌";
            case UNKNOWN -> "❔";
        };
    }
}
