package com.asconboard.upload;

import com.asconboard.asc.VerificationReport;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketEvent;
import java.util.List;
import java.util.Optional;

/**
 * Apple's verdict on a key that came through a link, when its verification finishes: a key that works, or one
 * Apple could not be asked about, spends the link; a key Apple rejects opens it again for a corrected one, with
 * one more failed attempt (the last one locks it). The ticket's thread hears what the customer's page says.
 */
final class Verdicts {
    private final UploadLinkRepository links;
    private final TicketChanges changes;
    private final int maxFailedAttempts;

    Verdicts(UploadLinkRepository links, TicketChanges changes, int maxFailedAttempts) {
        this.links = links;
        this.changes = changes;
        this.maxFailedAttempts = maxFailedAttempts;
    }

    /** Inside the transaction that records the verification, with the ticket locked. */
    void afterVerification(Ticket ticket, VerificationReport report) {
        List<UploadLink> waiting = links.checking(ticket.id());
        if (waiting.isEmpty()) {
            return;
        }
        Verdict.Reading reading = Verdict.of(report);
        Verdict verdict = reading.verdict();
        for (UploadLink link : waiting) {
            if (!verdict.rejects()) {
                if (links.spend(link.id(), verdict)) {
                    changes.record(ticket, TicketEvent.SYSTEM, verdict == Verdict.VERIFIED ? TicketEvent.Kind.VERIFIED
                            : TicketEvent.Kind.NOT_VERIFIED, spent(verdict, report));
                }
            } else {
                links.reopen(link.id(), verdict, reading.detail(), maxFailedAttempts)
                        .ifPresent(reopened -> rejected(ticket, verdict, reopened));
            }
        }
    }

    private void rejected(Ticket ticket, Verdict verdict, UploadLink reopened) {
        String rejected = "Apple rejected the key the customer uploaded: " + verdict.headline(ticket.details());
        if (reopened.status() == LinkStatus.LOCKED) {
            changes.record(ticket, TicketEvent.SYSTEM, TicketEvent.Kind.LINK_LOCKED, rejected + "; that was the "
                    + ordinal(maxFailedAttempts) + " failed attempt, so the upload link is now locked: once the "
                    + "customer knows what to fix, create a new one with Upload link");
        } else {
            int left = maxFailedAttempts - reopened.failedAttempts();
            changes.record(ticket, TicketEvent.SYSTEM, TicketEvent.Kind.KEY_REJECTED, rejected + "; their link stays "
                    + "open for a corrected key, " + left + (left == 1 ? " try" : " tries") + " left (the page tells "
                    + "them what to fix)");
        }
    }

    private static String spent(Verdict verdict, VerificationReport report) {
        if (verdict == Verdict.VERIFIED) {
            List<String> tasks = StillToDo.of(report).stream().map(StillToDo::english).toList();
            return "told the customer on the upload page that Apple accepts their key; the upload link is spent"
                    + (tasks.isEmpty() ? "" : ". Still to do on their side, as the page lists: "
                            + String.join("; ", tasks));
        }
        String why = report.checks().stream().filter(c -> c.outcome() != VerificationReport.Outcome.PASSED)
                .findFirst().map(VerificationReport.Check::reason).orElse("the verification could not finish");
        return "told the customer on the upload page that their key is stored and that the vendor will follow up, "
                + "as Apple could not be asked (" + why + "); the upload link is spent: press Verify now later and "
                + "tell the customer the outcome";
    }

    /** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st: the number as the thread says it. */
    static String ordinal(int n) {
        return n + switch (n % 100 > 10 && n % 100 < 14 ? 0 : n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }
}
