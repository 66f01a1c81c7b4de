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
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tickets' keys against App Store Connect in the background. One verification per ticket
 * at a time; the status message shows "verifying…" and then the outcome, the thread the report.
 */
public final class VerificationService {
    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final TicketRepository tickets;
    private final OnboardingService onboarding;
    private final KeyVault vault;
    private final AscConnector connector;
    private final Verifier verifier = new Verifier();
    private final ExecutorService executor;
    private final Clock clock;
    private final String vendorAppleId;
    private volatile BiConsumer<Long, VerificationReport> afterVerification = (id, report) -> { };

    public VerificationService(TicketRepository tickets, OnboardingService onboarding, KeyVault vault,
            AscConnector connector, ExecutorService executor, Clock clock, String vendorAppleId) {
        this.tickets = tickets;
        this.onboarding = onboarding;
        this.vault = vault;
        this.connector = connector;
        this.executor = executor;
        this.clock = clock;
        this.vendorAppleId = vendorAppleId;
    }

    /** Called after each verification a person or an upload started (e.g. to create the certificate). */
    public void afterVerification(BiConsumer<Long, VerificationReport> listener) {
        this.afterVerification = listener;
    }

    /**
     * Checks the account again without showing "verifying…" or posting the report: for the watcher,
     * which reports only what changed. Returns the new report, stored as the ticket's latest.
     * Empty when a verification is already running for the ticket.
     */
    public Optional<VerificationReport> recheck(long id) {
        if (!tickets.startVerification(id)) {
            return Optional.empty();
        }
        VerificationReport report = check(id);
        tickets.finishVerification(id, "watcher", report, clock.instant());
        return Optional.of(report);
    }

    /** Why a ticket cannot be verified yet: one sentence, or empty when it can. */
    public static Optional<String> missing(Ticket ticket) {
        List<String> missing = new java.util.ArrayList<>();
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

    /** What starting a verification did. */
    public enum Start { STARTED, ALREADY_RUNNING, NOT_READY, CLOSED }

    /** Starts verifying unless the ticket is not ready or already being verified. */
    public Start start(String workspaceId, long id, String actor) {
        Ticket ticket = onboarding.get(workspaceId, id);
        return begin(ticket, actor);
    }

    /** Verifies once everything is there (after an upload or an edit); does nothing otherwise. */
    public void startIfReady(long id, String actor) {
        try {
            Ticket ticket = onboarding.get(id);
            if (ticket.readyToVerify()) {
                begin(ticket, actor);
            }
        } catch (RuntimeException e) {
            log.warn("ticket {}: could not start verification: {}", id, e.getMessage());
        }
    }

    /** Verifications a crash left "verifying…" are run again at start-up. */
    public void resumeInterrupted() {
        for (long id : tickets.verifyingTickets()) {
            log.info("{}{}: verification was interrupted; running it again", Ticket.PREFIX, id);
            executor.execute(() -> run(id, TicketEvent.SYSTEM));
        }
    }

    private Start begin(Ticket ticket, String actor) {
        if (!ticket.isOpen()) {
            return Start.CLOSED;
        }
        if (!ticket.readyToVerify()) {
            return Start.NOT_READY;
        }
        if (!tickets.startVerification(ticket.id())) {
            return Start.ALREADY_RUNNING;
        }
        try {
            onboarding.note(ticket.id(), actor, TicketEvent.Kind.VERIFICATION_STARTED,
                    "started verifying the key against App Store Connect");
            executor.execute(() -> run(ticket.id(), actor));
        } catch (RejectedExecutionException e) {
            finish(ticket.id(), actor, failure("the bot is overloaded or shutting down", "Press Verify now again."));
        }
        return Start.STARTED;
    }

    private void run(long id, String actor) {
        VerificationReport report = check(id);
        finish(id, actor, report);
        try {
            afterVerification.accept(id, report);
        } catch (RuntimeException e) {
            log.warn("{}{}: after verification: {}", Ticket.PREFIX, id, e.toString());
        }
    }

    private VerificationReport check(long id) {
        VerificationReport report;
        try {
            Ticket ticket = onboarding.get(id);
            Optional<ECPrivateKey> key = vault.apiKey(id);
            if (key.isEmpty() || !ticket.readyToVerify()) {
                report = failure("the ticket " + missing(ticket).orElse("has no key"), "Complete the ticket first.");
            } else {
                AscCredentials credentials = new AscCredentials(ticket.details().issuerId(), ticket.details().keyId(),
                        key.get());
                Set<String> ours = ticket.certificate() == null ? Set.of() : Set.of(ticket.certificate().serial());
                report = verifier.verify(connector.open(credentials), new Verifier.Claims(ticket.details().teamId(),
                        ticket.details().teamName(), vendorAppleId, ours), clock.instant());
            }
        } catch (SealedDataException e) {
            report = failure("the stored key cannot be opened: " + e.getMessage(),
                    "Restore the master key it was stored under, or send a new Upload link.");
        } catch (RuntimeException e) {
            log.warn("{}{}: verification failed unexpectedly: {}", Ticket.PREFIX, id, e.toString());
            report = failure("verification failed unexpectedly (" + e.getClass().getSimpleName() + ")",
                    "Press Verify now again; if it keeps failing, check the bot's log.");
        }
        return report;
    }

    private void finish(long id, String actor, VerificationReport report) {
        try {
            tickets.finishVerification(id, actor, report, clock.instant());
            onboarding.note(id, TicketEvent.SYSTEM, report.verified() ? TicketEvent.Kind.VERIFIED
                    : TicketEvent.Kind.NOT_VERIFIED, ReportText.describe(report));
        } catch (RuntimeException e) {
            log.warn("{}{}: could not store the verification: {}", Ticket.PREFIX, id, e.getMessage());
        }
    }

    private VerificationReport failure(String reason, String fix) {
        List<Check> checks = new java.util.ArrayList<>();
        checks.add(new Check(Kind.AUTHENTICATION, Outcome.UNKNOWN, "could not tell: " + reason, fix));
        return new VerificationReport(clock.instant(), checks, List.of());
    }
}
