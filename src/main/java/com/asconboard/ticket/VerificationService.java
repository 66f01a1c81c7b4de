package com.asconboard.ticket;

import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.ReportText;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.Verifier;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.SealedDataException;
import com.asconboard.metrics.BotMetrics;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tickets' keys against App Store Connect. Asking for a verification marks the ticket "verifying…"
 * and queues a job in the same transaction; the job (on whichever instance claims it) asks Apple and records
 * the report, the status line and the thread's message in one transaction. One verification per ticket at a
 * time: the job is keyed by the ticket.
 */
public final class VerificationService {
    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final KeyVault vault;
    private final AscConnector connector;
    private final Verifier verifier = new Verifier();
    private final Jobs jobs;
    private final Clock clock;
    private final String vendorAppleId;
    private final BotMetrics metrics;
    private volatile Listener afterVerification = (ticket, report, actor) -> { };

    /** Hears of each finished verification, inside the transaction that records it. */
    @FunctionalInterface
    public interface Listener {
        /** {@code actor} started the verification: a Slack user, the customer or the system. */
        void verified(Ticket ticket, VerificationReport report, String actor);
    }

    public VerificationService(TicketChanges changes, KeyVault vault, AscConnector connector, Jobs jobs, Clock clock,
            String vendorAppleId, BotMetrics metrics) {
        this.metrics = metrics;
        this.changes = changes;
        this.tickets = changes.tickets();
        this.vault = vault;
        this.connector = connector;
        this.jobs = jobs;
        this.clock = clock;
        this.vendorAppleId = vendorAppleId;
    }

    /**
     * Called, inside the transaction that records it, after each verification a person or an upload started
     * (e.g. to queue the certificate).
     */
    public void afterVerification(Listener listener) {
        this.afterVerification = listener;
    }

    /** Why a ticket cannot be verified yet: one sentence, or empty when it can. */
    public static Optional<String> missing(Ticket ticket) {
        List<String> missing = new ArrayList<>();
        if (!ticket.hasKey()) {
            missing.add("the .p8 (send the customer an Upload link)");
        }
        if (ticket.details().issuerId() == null) {
            missing.add("the Issuer ID");
        }
        if (ticket.details().keyId() == null) {
            missing.add("the Key ID");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("needs " + String.join(", ", missing.subList(0, missing.size() - 1))
                        + (missing.size() > 1 ? " and " : "") + missing.get(missing.size() - 1));
    }

    /** What asking for a verification did. */
    public enum Start { STARTED, ALREADY_RUNNING, NOT_READY, CLOSED }

    /**
     * Inside the transaction that holds {@code ticket} locked: starts verifying unless the ticket is closed,
     * not ready or already being verified.
     */
    public Start start(Ticket ticket, String actor) {
        if (!ticket.isOpen()) {
            return Start.CLOSED;
        }
        if (!ticket.readyToVerify()) {
            return Start.NOT_READY;
        }
        if (ticket.verification().running() || !jobs.verify(ticket.id(), actor)) {
            return Start.ALREADY_RUNNING;
        }
        tickets.markVerifying(ticket.id());
        changes.record(ticket, actor, TicketEvent.Kind.VERIFICATION_STARTED,
                "started verifying the key against App Store Connect");
        return Start.STARTED;
    }

    /** Like {@link #start}, when everything is there (after an upload or an edit); nothing otherwise. */
    public void startIfReady(Ticket ticket, String actor) {
        if (ticket.isOpen() && ticket.readyToVerify()) {
            start(ticket, actor);
        }
    }

    /** Queues a verification for each ticket shown "verifying…" that has none queued; returns how many. */
    public int resumeOrphans() {
        int resumed = 0;
        for (long id : tickets.verifyingWithoutJob()) {
            changes.apply(id, ticket -> jobs.verify(id, TicketEvent.SYSTEM));
            log.info("{}{}: shown as verifying with no verification queued; verifying again", Ticket.PREFIX, id);
            resumed++;
        }
        return resumed;
    }

    /**
     * The verification job: asks App Store Connect (outside any transaction: it takes seconds), then records
     * the report. Returns true when it should run again at once: what it checked changed meanwhile (an edit of
     * the IDs, a new key).
     */
    public boolean run(long id, String actor) {
        Ticket checked = tickets.find(id).orElse(null);
        if (checked == null || !checked.isOpen()) {
            // Closed or offboarded meanwhile: its key is gone, and nothing is to be recorded.
            return false;
        }
        VerificationReport report = check(checked);
        metrics.verification(report.verified() ? BotMetrics.VerificationOutcome.VERIFIED
                : report.failures() > 0 ? BotMetrics.VerificationOutcome.NOT_VERIFIED
                : BotMetrics.VerificationOutcome.UNREACHABLE);
        return changes.apply(id, ticket -> {
            if (!ticket.isOpen()) {
                return false;
            }
            tickets.finishVerification(id, actor, report, clock.instant());
            Ticket after = tickets.find(id).orElseThrow();
            changes.record(after, TicketEvent.SYSTEM, report.verified() ? TicketEvent.Kind.VERIFIED
                    : TicketEvent.Kind.NOT_VERIFIED, ReportText.describe(report));
            if (!sameAccount(checked, after)) {
                if (after.isOpen() && after.readyToVerify()) {
                    tickets.markVerifying(id);
                    changes.refresh(after);
                    return true;
                }
                return false;
            }
            try {
                afterVerification.verified(after, report, actor);
            } catch (RuntimeException e) {
                log.warn("{}: after verification: {}", after.key(), e.toString());
            }
            return false;
        });
    }

    /**
     * Asks App Store Connect about the ticket's account without recording anything: for the watcher, which
     * stores the report with what it makes of it and tells only what changed.
     */
    public VerificationReport ask(Ticket ticket) {
        return check(ticket);
    }

    private static boolean sameAccount(Ticket before, Ticket after) {
        return Objects.equals(before.details().issuerId(), after.details().issuerId())
                && Objects.equals(before.details().keyId(), after.details().keyId())
                && Objects.equals(before.details().teamId(), after.details().teamId())
                && Objects.equals(before.details().teamName(), after.details().teamName())
                && Objects.equals(before.keyReceivedAt(), after.keyReceivedAt());
    }

    private VerificationReport check(Ticket ticket) {
        try {
            Optional<ECPrivateKey> key = vault.apiKey(ticket.id());
            if (key.isEmpty() || !ticket.readyToVerify()) {
                return failure("the ticket " + missing(ticket).orElse("has no key"), "Complete the ticket first.");
            }
            AscCredentials credentials = new AscCredentials(ticket.details().issuerId(), ticket.details().keyId(),
                    key.get());
            Set<String> ours = ticket.certificate() == null ? Set.of() : Set.of(ticket.certificate().serial());
            return verifier.verify(connector.open(credentials), new Verifier.Claims(ticket.details().teamId(),
                    ticket.details().teamName(), vendorAppleId, ours), clock.instant());
        } catch (SealedDataException e) {
            return failure("the stored key cannot be opened: " + e.getMessage(),
                    "Restore the master key it was stored under, or send a new Upload link.");
        } catch (RuntimeException e) {
            log.warn("{}: verification failed unexpectedly: {}", ticket.key(), e.toString());
            return failure("verification failed unexpectedly (" + e.getClass().getSimpleName() + ")",
                    "Press Verify now again; if it keeps failing, check the bot's log.");
        }
    }

    private VerificationReport failure(String reason, String fix) {
        Instant now = clock.instant();
        return new VerificationReport(now, List.of(new Check(Kind.AUTHENTICATION, Outcome.UNKNOWN,
                "could not tell: " + reason, fix)), List.of());
    }
}
