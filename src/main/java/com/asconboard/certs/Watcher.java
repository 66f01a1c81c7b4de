package com.asconboard.certs;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.VendorCertificate;
import com.asconboard.ticket.VerificationService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps onboarded accounts healthy: re-checks each one, compares with what was known, and tells the
 * ticket's thread only what changed — key rejected, certificate revoked or expiring (30, 14, 7 and 1
 * days, each once), slots newly full, team mismatch. Renews the vendor's certificate within 30
 * days of expiry when a slot is free. One account's failure never stops the others.
 */
public final class Watcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    /** Days before expiry at which a warning is posted, largest first. */
    static final List<Integer> WARNINGS = List.of(30, 14, 7, 1);
    static final int RENEW_WITHIN_DAYS = 30;

    private final CertificateRepository certificates;
    private final VerificationService verifications;
    private final CertificateService issuer;
    private final OnboardingService onboarding;
    private final Clock clock;
    private final ExecutorService pool;

    public Watcher(CertificateRepository certificates, VerificationService verifications, CertificateService issuer,
            OnboardingService onboarding, Clock clock, int concurrency) {
        this.certificates = certificates;
        this.verifications = verifications;
        this.issuer = issuer;
        this.onboarding = onboarding;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "watch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks every onboarded, open account once, a few at a time; returns how many were checked. */
    public int runOnce() {
        List<Future<?>> checks = new ArrayList<>();
        for (long id : certificates.watchedTickets()) {
            checks.add(pool.submit(() -> {
                try {
                    check(id);
                } catch (RuntimeException e) {
                    log.warn("{}{}: watch failed: {}", Ticket.PREFIX, id, e.toString());
                }
            }));
        }
        int done = 0;
        for (Future<?> check : checks) {
            try {
                check.get(10, TimeUnit.MINUTES);
                done++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                log.warn("a watch did not finish: {}", e.toString());
            }
        }
        return done;
    }

    void check(long id) {
        Ticket before = onboarding.get(id);
        VerificationReport previous = before.verification().report();
        Optional<VerificationReport> rechecked = verifications.recheck(id);
        if (rechecked.isEmpty()) {
            return;
        }
        VerificationReport now = rechecked.get();
        Instant at = clock.instant();
        List<String[]> alerts = new ArrayList<>();

        if (newly(previous, now, Kind.AUTHENTICATION)) {
            alerts.add(alert(TicketEvent.Kind.KEY_REJECTED, "App Store Connect no longer accepts the key: "
                    + now.check(Kind.AUTHENTICATION).reason() + ". " + fix(now, Kind.AUTHENTICATION)));
        }
        VendorCertificate cert = before.certificate();
        boolean revokedNow = false;
        boolean certificatesRead = now.check(Kind.PROVISIONING).outcome() == Outcome.PASSED;
        if (cert != null && cert.status() != VendorCertificate.Status.REVOKED && certificatesRead
                && cert.usable(at) && now.slots().stream().noneMatch(s -> cert.serial().equalsIgnoreCase(
                        String.valueOf(s.serialNumber())))) {
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
        for (String[] a : alerts) {
            onboarding.note(id, TicketEvent.SYSTEM, TicketEvent.Kind.valueOf(a[0]), a[1]);
        }
        renewIfDue(id, cert, revokedNow, now, at);
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
        if (nearest == null || sent.contains(nearest)) {
            return;
        }
        certificates.addAlerts(cert.id(), crossed);
        alerts.add(alert(TicketEvent.Kind.CERTIFICATE_EXPIRING, "the vendor's distribution certificate (serial "
                + cert.serial() + ") expires " + CertificateService.DAY.format(cert.expiresAt()) + ", in "
                + (days <= 0 ? "less than a day" : days + " day" + (days == 1 ? "" : "s"))));
    }

    private void renewIfDue(long id, VendorCertificate cert, boolean revokedNow, VerificationReport now, Instant at) {
        if (!now.verified() || now.freeSlots() == 0) {
            return;
        }
        boolean expiring = cert != null && cert.status() == VendorCertificate.Status.ACTIVE && cert.usable(at)
                && cert.daysLeft(at) <= RENEW_WITHIN_DAYS;
        if (revokedNow) {
            issuer.replace(id, " to replace the revoked one");
        } else if (expiring) {
            issuer.replace(id, " to take over from the one expiring " + CertificateService.DAY.format(cert.expiresAt())
                    + " (which keeps working until then)");
        }
    }

    /** A check that failed now but not before: the change worth telling. */
    private static boolean newly(VerificationReport previous, VerificationReport now, Kind kind) {
        return now.check(kind).outcome() == Outcome.FAILED
                && (previous == null || previous.check(kind).outcome() != Outcome.FAILED);
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
