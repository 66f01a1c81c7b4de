package com.asconboard.certs;

import com.asconboard.asc.Diagnosis;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.ticket.Jobs;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketRepository;
import com.asconboard.ticket.VendorCertificate;
import com.asconboard.ticket.VerificationService;
import com.asconboard.metrics.BotMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps onboarded accounts healthy: re-checks one account (a watch job, claimed by any instance once per
 * interval), compares with what was known, and tells the ticket's thread only what changed — key rejected,
 * certificate revoked or expiring (30, 14, 7 and 1 days, each once), slots newly full, team mismatch. Queues
 * the successor of the vendor's certificate within 30 days of expiry when a slot is free.
 */
public final class Watcher {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    /** Days before expiry at which a warning is posted, largest first. */
    static final List<Integer> WARNINGS = List.of(30, 14, 7, 1);
    static final int RENEW_WITHIN_DAYS = 30;
    /**
     * Apple is known to answer a valid key with a spurious 401 now and then, and a certificate list can be
     * momentarily incomplete: a problem seen once is checked again this much later before anyone is told.
     */
    static final Duration CONFIRM_AFTER = Duration.ofMinutes(5);
    /** When Apple could not be asked at all (unreachable, rate-limited, failing), the next try comes sooner. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(15);
    static final String KEY_REJECTED = "KEY_REJECTED";
    static final String CERTIFICATE_GONE = "CERTIFICATE_GONE";

    /**
     * What a check leaves for the next one: when it is due, and the problem seen once that it is to confirm
     * (null when none).
     */
    public record Next(Duration after, String suspect) {
    }

    private final CertificateRepository certificates;
    private final VerificationService verifications;
    private final CertificateService issuer;
    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final Clock clock;
    private final BotMetrics metrics;
    private final Duration interval;

    public Watcher(CertificateRepository certificates, VerificationService verifications, CertificateService issuer,
            TicketChanges changes, Clock clock, BotMetrics metrics, Duration interval) {
        this.metrics = metrics;
        this.interval = interval;
        this.certificates = certificates;
        this.verifications = verifications;
        this.issuer = issuer;
        this.changes = changes;
        this.tickets = changes.tickets();
        this.clock = clock;
    }

    /** Accounts that are watched: active ones with everything needed to check them. */
    public List<Long> watched() {
        return certificates.watchedTickets();
    }

    /**
     * Plans a watch job for each watched account that has none (e.g. opened before watch jobs existed): due an
     * interval after it was last checked or changed, and at once when that is past. Returns how many.
     */
    public int planMissing(Jobs jobs, java.time.Duration interval, Instant now) {
        int planned = 0;
        for (var due : certificates.watchedWithoutJob().entrySet()) {
            Instant at = due.getValue() == null ? now : due.getValue().plus(interval);
            jobs.watch(due.getKey(), at.isBefore(now) ? now : at);
            planned++;
        }
        return planned;
    }

    /**
     * Checks one account and records what it found in one transaction; {@code suspect} is a problem the previous
     * check saw once and asked to confirm. Empty when the account is not watched (not active — still onboarding,
     * or offboarded — or missing what a check needs): its watch job then ends.
     */
    public Optional<Next> check(long id, String suspect) {
        Ticket before = tickets.find(id).orElse(null);
        if (before == null || !before.isActive() || !before.readyToVerify()) {
            return Optional.empty();
        }
        Next next;
        try {
            VerificationReport now = verifications.ask(before);
            Instant at = clock.instant();
            next = changes.apply(id, ticket -> ticket.isActive() ? record(ticket, now, at, suspect) : null);
        } catch (RuntimeException e) {
            metrics.watcherRoundFailed();
            throw e;
        }
        // Each account is checked by its own watch job: a round of the watcher is one account.
        metrics.watcherRound(1);
        return Optional.ofNullable(next);
    }

    private Next record(Ticket ticket, VerificationReport now, Instant at, String suspect) {
        long id = ticket.id();
        VerificationReport previous = ticket.verification().report();
        Check auth = now.check(Kind.AUTHENTICATION);
        if (auth.outcome() == Outcome.UNKNOWN && auth.cause() != null && auth.cause().passesByItself()) {
            // Nothing learnt: the last report stands, and nobody is told of a passing outage.
            log.info("{}: App Store Connect could not be asked ({}); trying again in {}", ticket.key(),
                    auth.cause().headline(), RETRY_AFTER);
            certificates.recordWatch(id, at, "could not ask App Store Connect (" + auth.cause().headline()
                    + "); trying again soon");
            return new Next(RETRY_AFTER, suspect);
        }
        Diagnosis.Kind blockNow = now.accountBlock();
        boolean rejectedNow = newly(previous, now, Kind.AUTHENTICATION) && blockNow == null;
        if (rejectedNow && auth.cause() != null && auth.cause().confirmBeforeAlarm() && !KEY_REJECTED.equals(suspect)) {
            log.info("{}: App Store Connect rejected the key; checking again in {} before telling anyone",
                    ticket.key(), CONFIRM_AFTER);
            certificates.recordWatch(id, at, "the key was rejected once; checking again before telling anyone");
            return new Next(CONFIRM_AFTER, KEY_REJECTED);
        }
        VendorCertificate cert = ticket.certificate();
        boolean certificatesRead = now.check(Kind.PROVISIONING).outcome() == Outcome.PASSED;
        boolean certificateGone = cert != null && cert.status() != VendorCertificate.Status.REVOKED
                && certificatesRead && cert.usable(at) && now.slots().stream().noneMatch(s -> cert.serial()
                        .equalsIgnoreCase(String.valueOf(s.serialNumber())));
        if (certificateGone && !CERTIFICATE_GONE.equals(suspect)) {
            log.info("{}: the vendor's certificate is missing from the account's list; checking again in {}",
                    ticket.key(), CONFIRM_AFTER);
            certificates.recordWatch(id, at, "the vendor's certificate was missing once; checking again");
            return new Next(CONFIRM_AFTER, CERTIFICATE_GONE);
        }
        if (suspect != null && !rejectedNow && !certificateGone) {
            log.info("{}: {} seen once was not seen again: no alarm", ticket.key(), suspect);
        }
        // An unchanged round keeps no history: the latest report and the time of the check are enough.
        tickets.recordWatchReport(id, now, at, !same(previous, now));
        List<String[]> alerts = new ArrayList<>();
        Diagnosis.Kind blockBefore = previous == null ? null : previous.accountBlock();
        if (blockNow != null && blockNow != blockBefore) {
            alerts.add(alert(TicketEvent.Kind.ACCOUNT_BLOCKED, Diagnosis.blockNotice(blockNow)));
        }
        if (blockBefore != null && blockNow != blockBefore) {
            alerts.add(alert(TicketEvent.Kind.ACCOUNT_UNBLOCKED, Diagnosis.blockClearedNotice(blockBefore)));
        }
        if (rejectedNow) {
            alerts.add(alert(TicketEvent.Kind.KEY_REJECTED, "App Store Connect no longer accepts the key: "
                    + auth.reason() + ". " + fix(now, Kind.AUTHENTICATION)));
        }
        boolean revokedNow = false;
        if (certificateGone) {
            certificates.markRevoked(cert.id());
            revokedNow = true;
            alerts.add(alert(TicketEvent.Kind.CERTIFICATE_REVOKED, "the vendor's distribution certificate (serial "
                    + cert.serial() + ") is no longer in the account: it was revoked. Releases need a new one"
                    + (now.freeSlots() > 0 && issuer.automatic() ? "; creating it now."
                            : now.freeSlots() > 0 ? "; press Create certificate."
                            : "; free a slot, then press Create certificate.")));
        } else if (cert != null && cert.usable(at)) {
            expiry(cert, at, alerts);
        }
        if (newly(previous, now, Kind.SLOTS)) {
            alerts.add(alert(TicketEvent.Kind.SLOTS_FULL, now.check(Kind.SLOTS).reason() + ". "
                    + fix(now, Kind.SLOTS)));
        }
        if (newly(previous, now, Kind.TEAM)) {
            alerts.add(alert(TicketEvent.Kind.TEAM_MISMATCH, now.check(Kind.TEAM).reason() + ". "
                    + fix(now, Kind.TEAM)));
        }
        certificates.recordWatch(id, at, summary(now, alerts.size()));
        Ticket after = tickets.find(id).orElseThrow();
        for (String[] a : alerts) {
            changes.record(after, TicketEvent.SYSTEM, TicketEvent.Kind.valueOf(a[0]), a[1]);
        }
        if (alerts.isEmpty() && !same(previous, now)) {
            changes.refresh(after);
        }
        renewIfDue(after, cert, revokedNow, now, at);
        return new Next(interval, null);
    }

    /** One warning per threshold crossed, posted once even across restarts; a late start posts only the nearest. */
    private void expiry(VendorCertificate cert, Instant at, List<String[]> alerts) {
        long days = cert.daysLeft(at);
        Set<Integer> sent = certificates.alertsSent(cert.id());
        Set<Integer> crossed = new TreeSet<>();
        Integer nearest = null;
        for (int threshold : WARNINGS) {
            if (days <= threshold) {
                crossed.add(threshold);
                nearest = threshold;
            }
        }
        if (nearest == null || sent.contains(nearest) || !certificates.claimAlerts(cert.id(), sent, crossed)) {
            return;
        }
        alerts.add(alert(TicketEvent.Kind.CERTIFICATE_EXPIRING, "the vendor's distribution certificate (serial "
                + cert.serial() + ") expires " + CertificateService.DAY.format(cert.expiresAt()) + ", in "
                + (days <= 0 ? "less than a day" : days + " day" + (days == 1 ? "" : "s"))));
    }

    private void renewIfDue(Ticket ticket, VendorCertificate cert, boolean revokedNow, VerificationReport now,
            Instant at) {
        if (!now.verified() || now.freeSlots() == 0) {
            return;
        }
        boolean expiring = cert != null && cert.status() == VendorCertificate.Status.ACTIVE && cert.usable(at)
                && cert.daysLeft(at) <= RENEW_WITHIN_DAYS;
        if (revokedNow) {
            issuer.replace(ticket, " to replace the revoked one");
        } else if (expiring) {
            issuer.replace(ticket, " to take over from the one expiring "
                    + CertificateService.DAY.format(cert.expiresAt()) + " (which keeps working until then)");
        }
    }

    /** A check that failed now but not before: the change worth telling. */
    private static boolean newly(VerificationReport previous, VerificationReport now, Kind kind) {
        return now.check(kind).outcome() == Outcome.FAILED
                && (previous == null || previous.check(kind).outcome() != Outcome.FAILED);
    }

    /** Whether the account looks the same as in the previous report: each check's outcome and reason, the slots. */
    static boolean same(VerificationReport previous, VerificationReport now) {
        return previous != null && previous.checks().equals(now.checks()) && previous.slots().equals(now.slots());
    }

    private static String fix(VerificationReport report, Kind kind) {
        String fix = report.check(kind).fix();
        return fix == null ? "" : fix;
    }

    private static String[] alert(TicketEvent.Kind kind, String text) {
        return new String[] {kind.name(), text};
    }

    private static String summary(VerificationReport report, int alerts) {
        String outcome = report.verified() ? "all good" : report.failures() > 0 ? report.failures() + " problem(s)"
                : "could not tell everything";
        return outcome + (alerts == 0 ? ", nothing new" : ", " + alerts + " change(s) posted");
    }
}
