package com.asconboard.certs;

import com.asconboard.asc.AppStoreConnect;
import com.asconboard.asc.AscCertificate;
import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.AscException;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretStore;
import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketEvent;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offboarding's revocation job: revokes at Apple the certificates the bot created for the ticket and that
 * still hold a slot — each only when Apple lists it under the same id with the same serial, so no other
 * certificate is ever touched — then destroys the API key it signed in with. When Apple cannot be reached the
 * job is tried again; after {@link #MAX_TRIES} the key is destroyed anyway and the thread says what the
 * customer can revoke by hand.
 */
public final class CertificateRevocation {
    private static final Logger log = LoggerFactory.getLogger(CertificateRevocation.class);
    /** Tries before giving up on Apple (with the job's backoff, a few hours). */
    public static final int MAX_TRIES = 8;

    private final CertificateRepository certificates;
    private final TicketChanges changes;
    private final KeyVault vault;
    private final SecretStore secrets;
    private final AscConnector connector;
    private final Clock clock;

    public CertificateRevocation(CertificateRepository certificates, TicketChanges changes, KeyVault vault,
            SecretStore secrets, AscConnector connector, Clock clock) {
        this.certificates = certificates;
        this.changes = changes;
        this.vault = vault;
        this.secrets = secrets;
        this.connector = connector;
        this.clock = clock;
    }

    /** Apple could not be reached or failed; the job is to be tried again. */
    public static final class TryAgain extends RuntimeException {
        TryAgain(String message) {
            super(message);
        }
    }

    /**
     * Runs the job; {@code failedBefore} is how many earlier tries failed.
     *
     * @throws TryAgain when Apple could not answer and tries are left
     */
    public void run(long ticketId, String actor, int failedBefore) {
        Ticket ticket = changes.tickets().find(ticketId).orElse(null);
        if (ticket == null || ticket.lifecycle() != Lifecycle.OFFBOARDED) {
            return;
        }
        List<CertificateRepository.Created> ours = certificates.holdingSlots(ticketId, clock.instant());
        List<CertificateRepository.Created> revoked = new ArrayList<>();
        String problem = null;
        try {
            Optional<ECPrivateKey> key = vault.apiKey(ticketId);
            if (key.isEmpty() || ticket.details().issuerId() == null || ticket.details().keyId() == null) {
                problem = "the ticket no longer holds the key to sign in with";
            } else if (!ours.isEmpty()) {
                AppStoreConnect asc = connector.open(new AscCredentials(ticket.details().issuerId(),
                        ticket.details().keyId(), key.get()));
                List<AscCertificate> listed = asc.distributionCertificates();
                for (CertificateRepository.Created cert : ours) {
                    if (listed.stream().anyMatch(c -> same(c, cert))) {
                        asc.revokeCertificate(cert.ascId());
                        log.info("{}: revoked the vendor's certificate {} at Apple", ticket.key(), cert.serial());
                    }
                    // Listed or not, it no longer holds a slot (absent: someone revoked it already).
                    revoked.add(cert);
                }
            }
        } catch (SealedDataException e) {
            problem = "the stored key cannot be opened (" + e.getMessage() + ")";
        } catch (AscException e) {
            boolean passing = e.unreachable() || e.status() == 429 || e.status() >= 500;
            if (passing && failedBefore + 1 < MAX_TRIES) {
                throw new TryAgain("App Store Connect " + (e.unreachable() ? "did not answer" : "answered HTTP "
                        + e.status()) + "; trying again later");
            }
            problem = "App Store Connect answered " + e.appleSays();
        }
        finish(ticket, actor, ours, revoked, problem);
    }

    /** Records what was revoked and destroys the API key, in one transaction. */
    private void finish(Ticket ticket, String actor, List<CertificateRepository.Created> ours,
            List<CertificateRepository.Created> revoked, String problem) {
        changes.apply(ticket.id(), locked -> {
            revoked.forEach(c -> certificates.markRevoked(c.id()));
            secrets.deleteAll(ticket.id(), Set.of());
            if (problem == null && !revoked.isEmpty()) {
                changes.record(locked, actor, TicketEvent.Kind.VENDOR_CERTIFICATE_REVOKED, "revoked the vendor's "
                        + "distribution certificate" + (revoked.size() == 1 ? "" : "s") + " (serial "
                        + String.join(", ", revoked.stream().map(CertificateRepository.Created::serial).toList())
                        + ") in " + locked.details().customer() + "'s account, freeing the slot; the stored API key "
                        + "was destroyed");
            } else if (problem == null) {
                changes.record(locked, TicketEvent.SYSTEM, TicketEvent.Kind.KEY_DESTROYED, "the vendor's certificate "
                        + "no longer held a slot, so nothing was revoked; the stored API key was destroyed");
            } else {
                changes.record(locked, TicketEvent.SYSTEM, TicketEvent.Kind.KEY_DESTROYED, "could not revoke the "
                        + "vendor's distribution certificate (serial " + String.join(", ", ours.stream()
                                .map(CertificateRepository.Created::serial).toList()) + "): " + problem
                        + ". The customer can revoke it in Certificates, Identifiers & Profiles → Certificates. The "
                        + "stored API key was destroyed");
            }
            return null;
        });
    }

    private static boolean same(AscCertificate listed, CertificateRepository.Created ours) {
        return ours.ascId().equals(listed.id()) && listed.serialNumber() != null
                && ours.serial().equalsIgnoreCase(listed.serialNumber().toUpperCase(Locale.ROOT));
    }
}
