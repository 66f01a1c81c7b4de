package com.asconboard.certs;

import com.asconboard.asc.AppStoreConnect;
import com.asconboard.asc.AscCertificate;
import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.AscException;
import com.asconboard.asc.CertificateRefusal;
import com.asconboard.asc.VerificationReport;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.SecretStore;
import com.asconboard.metrics.BotMetrics;
import com.asconboard.ticket.Jobs;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketClosedException;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketRepository;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the vendor's distribution certificate in a customer's account: a fresh RSA key and CSR,
 * {@code POST /v1/certificates}, the certificate and its sealed private key stored. Asking for one marks the
 * ticket and queues a job keyed by the ticket, so two clicks on two instances make one request. The job
 * records its request (key pair sealed) before it calls Apple: an instance that takes over a dead one's job
 * finds Apple's answer by public key instead of asking for a second slot. Never a second certificate while
 * the vendor's is valid (unless renewing near expiry).
 */
public final class CertificateService {
    private static final Logger log = LoggerFactory.getLogger(CertificateService.class);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final CertificateRepository certificates;
    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final KeyVault vault;
    private final SecretStore secrets;
    private final SecretBox box;
    private final AscConnector connector;
    private final Jobs jobs;
    private final Clock clock;
    private final String vendorName;
    private final boolean automatic;
    private final Predicate<String> mayCreate;
    private final BotMetrics metrics;

    /**
     * {@code mayCreate} tells whether a verification started by this Slack user may take a slot by itself
     * (the admins'); verifications started by the customer's upload or by the bot always may.
     */
    public CertificateService(CertificateRepository certificates, TicketChanges changes, KeyVault vault,
            SecretStore secrets, SecretBox box, AscConnector connector, Jobs jobs, Clock clock, String vendorName,
            boolean automatic, Predicate<String> mayCreate, BotMetrics metrics) {
        this.mayCreate = mayCreate;
        this.metrics = metrics;
        this.certificates = certificates;
        this.changes = changes;
        this.tickets = changes.tickets();
        this.vault = vault;
        this.secrets = secrets;
        this.box = box;
        this.connector = connector;
        this.jobs = jobs;
        this.clock = clock;
        this.vendorName = vendorName;
        this.automatic = automatic;
    }

    /** Whether certificates are created and renewed without a click. */
    public boolean automatic() {
        return automatic;
    }

    /** The secret purpose under which a certificate's private key is sealed. */
    public static String keyPurpose(String serial) {
        return "dist." + serial.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static String requestPurpose(long requestId) {
        return "csr." + requestId;
    }

    /** What asking for the certificate did. */
    public enum Start { STARTED, ALREADY_RUNNING, ALREADY_HAS, NOT_READY, CLOSED }

    /** Inside the transaction holding {@code ticket} locked: queues the certificate, unless there is a reason not to. */
    public Start request(Ticket ticket, String actor) {
        if (!ticket.isOpen()) {
            return Start.CLOSED;
        }
        if (!ticket.readyToVerify()) {
            return Start.NOT_READY;
        }
        if (ticket.certificate() != null && ticket.certificate().usable(clock.instant())) {
            return Start.ALREADY_HAS;
        }
        return queue(ticket, actor, "") ? Start.STARTED : Start.ALREADY_RUNNING;
    }

    /**
     * After a successful verification, in its transaction: queues the certificate when a slot is free and the
     * ticket has none.
     */
    public void afterVerification(Ticket ticket, VerificationReport report, String actor) {
        if (!automatic || !report.verified() || report.freeSlots() == 0) {
            return;
        }
        if (!TicketEvent.SYSTEM.equals(actor) && !TicketEvent.CUSTOMER.equals(actor) && !mayCreate.test(actor)) {
            return;
        }
        if (ticket.certificate() != null && ticket.certificate().usable(clock.instant())) {
            return;
        }
        if (ticket.certificateProblem() != null) {
            // A failure is not retried by itself on every verification; the engineer decides.
            return;
        }
        queue(ticket, TicketEvent.SYSTEM, " (automatically, a slot being free)");
    }

    /** Queues the successor of a certificate that expires soon, or of a revoked one; the watcher calls it. */
    public boolean replace(Ticket ticket, String why) {
        return automatic && queue(ticket, TicketEvent.SYSTEM, why);
    }

    private boolean queue(Ticket ticket, String actor, String why) {
        if (ticket.certificatePending() || !jobs.createCertificate(ticket.id(), actor, why)) {
            return false;
        }
        tickets.setCertificatePending(ticket.id(), true);
        changes.refresh(ticket);
        return true;
    }

    /**
     * The certificate job: records the request, asks Apple (or finds Apple's answer to an earlier attempt),
     * stores the certificate. Says what happened in the ticket's thread. True when one was stored.
     */
    public boolean run(long ticketId, String actor, String why) {
        Ticket ticket = tickets.find(ticketId).orElse(null);
        if (ticket == null) {
            return false;
        }
        if (!ticket.isOpen()) {
            changes.apply(ticketId, t -> {
                tickets.setCertificatePending(ticketId, false);
                return null;
            });
            return false;
        }
        try {
            Optional<ECPrivateKey> apiKey = vault.apiKey(ticketId);
            if (apiKey.isEmpty() || !ticket.readyToVerify()) {
                return failed(ticket, null, "the ticket has no key, Issuer ID or Key ID yet", null);
            }
            AppStoreConnect asc = connector.open(new AscCredentials(ticket.details().issuerId(),
                    ticket.details().keyId(), apiKey.get()));
            Recorded recorded = record(ticket, actor, why);
            AscCertificate issued = recorded.adopting() ? findIssued(asc, recorded.request()) : null;
            if (issued != null) {
                log.info("{}: Apple had issued the certificate of request {} before; adopting it", ticket.key(),
                        recorded.request().id());
            } else {
                try {
                    issued = asc.createDistributionCertificate(recorded.request().csr());
                } catch (AscException e) {
                    return failed(ticket, recorded.request(), CertificateRefusal.explain(asc, e, clock.instant()), e);
                }
            }
            return store(ticket, recorded.request(), issued);
        } catch (TicketClosedException e) {
            // Ended meanwhile: its secrets are gone and no certificate is wanted.
            return false;
        } catch (SealedDataException e) {
            return failed(ticket, null, "the stored API key cannot be opened: " + e.getMessage(), null);
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("{}: creating the certificate failed: {}", ticket.key(), e.toString());
            return failed(ticket, pendingOrNull(ticketId), "creating it failed unexpectedly ("
                    + e.getClass().getSimpleName() + ")", null);
        }
    }

    private record Recorded(CertificateRepository.Request request, boolean adopting) {
    }

    /** The ticket's pending request, or a new one with a fresh key pair, sealed, committed before Apple is asked. */
    private Recorded record(Ticket ticket, String actor, String why) {
        Optional<CertificateRepository.Request> pending = certificates.pendingRequest(ticket.id());
        if (pending.isPresent()) {
            return new Recorded(pending.get(), true);
        }
        SigningRequest fresh = SigningRequest.create(vendorName, ticket.details().teamId());
        byte[] pkcs8 = fresh.keyPair().getPrivate().getEncoded();
        try {
            return changes.apply(ticket.id(), locked -> {
                if (!locked.isOpen()) {
                    throw new TicketClosedException(locked);
                }
                Optional<CertificateRepository.Request> raced = certificates.pendingRequest(ticket.id());
                if (raced.isPresent()) {
                    return new Recorded(raced.get(), true);
                }
                long id = certificates.recordRequest(ticket.id(), fresh.csrPem(),
                        sha256(fresh.keyPair().getPublic()), actor, why, clock.instant());
                secrets.put(ticket.id(), requestPurpose(id), box.seal(pkcs8, SecretBox.aadFor(ticket.id(),
                        requestPurpose(id))), clock.instant());
                return new Recorded(certificates.pendingRequest(ticket.id()).orElseThrow(), false);
            });
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Apple's certificate for the request's key, if Apple issued one. */
    private AscCertificate findIssued(AppStoreConnect asc, CertificateRepository.Request request) {
        try {
            for (AscCertificate c : asc.distributionCertificates()) {
                X509Certificate x509 = x509(c.content());
                if (x509 != null && request.publicKeySha256().equals(sha256(x509.getPublicKey()))) {
                    return c;
                }
            }
        } catch (AscException e) {
            log.info("listing certificates to find an earlier answer failed: HTTP {}", e.status());
        }
        return null;
    }

    private boolean store(Ticket ticket, CertificateRepository.Request request, AscCertificate created)
            throws SealedDataException, GeneralSecurityException, CertificateException {
        X509Certificate x509 = x509(created.content());
        if (x509 == null || !request.publicKeySha256().equals(sha256(x509.getPublicKey()))) {
            return failed(ticket, request, "Apple's answer did not hold a certificate for the key the bot sent", null);
        }
        String serial = created.serialNumber() != null ? created.serialNumber().toUpperCase(Locale.ROOT)
                : x509.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        Instant expires = created.expires() != null ? created.expires() : x509.getNotAfter().toInstant();
        long ticketId = ticket.id();
        byte[] der = x509.getEncoded();
        String actor = request.requestedBy();
        String why = request.reason();
        boolean stored = changes.apply(ticketId, locked -> {
            if (!locked.isOpen()) {
                // Closed or offboarded while Apple was asked: its secrets are destroyed, this key is not kept.
                certificates.finishRequest(request.id(), "FAILED");
                secrets.delete(ticketId, requestPurpose(request.id()));
                tickets.setCertificatePending(ticketId, false);
                return false;
            }
            Sealed resealed = reseal(ticketId, request.id(), keyPurpose(serial));
            certificates.add(ticketId, new CertificateRepository.Issued(created.id(), serial, created.label(), expires,
                    der), actor, clock.instant());
            secrets.put(ticketId, keyPurpose(serial), resealed, clock.instant());
            secrets.delete(ticketId, requestPurpose(request.id()));
            certificates.finishRequest(request.id(), "DONE");
            tickets.setCertificatePending(ticketId, false);
            // The status shows the slots as they are now, with the vendor's new certificate in one of them.
            VerificationReport latest = locked.verification().report();
            if (latest != null) {
                tickets.recordWatchReport(ticketId, latest.withSlots(latest.census().withVendorCertificate(created,
                        clock.instant())), clock.instant(), false);
            }
            changes.record(tickets.find(ticketId).orElseThrow(), actor, TicketEvent.Kind.CERTIFICATE_CREATED,
                    "created the vendor's distribution certificate " + created.label() + " (serial " + serial
                            + "), valid until " + DAY.format(expires) + why);
            return true;
        });
        if (!stored) {
            log.info("{}: ended while its certificate was created; the certificate's key was not kept", ticket.key());
            return false;
        }
        log.info("{}: created distribution certificate {} expiring {}", ticket.key(), serial, expires);
        metrics.certificate(ticket.certificate() == null ? BotMetrics.CertificateOutcome.CREATED
                : BotMetrics.CertificateOutcome.RENEWED);
        return true;
    }

    /** The request's private key, sealed again for the certificate it now belongs to. */
    private Sealed reseal(long ticketId, long requestId, String purpose) {
        Sealed sealed = secrets.find(ticketId, requestPurpose(requestId))
                .orElseThrow(() -> new IllegalStateException("the request's private key is missing"));
        byte[] pkcs8;
        try {
            pkcs8 = box.open(sealed, SecretBox.aadFor(ticketId, requestPurpose(requestId)));
        } catch (SealedDataException e) {
            throw new IllegalStateException("the request's private key cannot be opened: " + e.getMessage());
        }
        try {
            KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return box.seal(pkcs8, SecretBox.aadFor(ticketId, purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the request's private key is not an RSA key");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private CertificateRepository.Request pendingOrNull(long ticketId) {
        try {
            return certificates.pendingRequest(ticketId).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Records the failure: the request is dropped with its key, the thread says why. */
    private boolean failed(Ticket ticket, CertificateRepository.Request request, String why, AscException cause) {
        String firstLine = why.lines().findFirst().orElse(why);
        metrics.certificate(BotMetrics.CertificateOutcome.FAILED);
        if (cause != null) {
            log.info("{}: certificate not created: HTTP {}", ticket.key(), cause.status());
        }
        // When Apple could not be reached or failed, it may still have issued the certificate: the request stays,
        // so that the next attempt looks for Apple's answer before asking for another slot.
        boolean answerMayExist = cause != null && (cause.unreachable() || cause.status() >= 500);
        changes.apply(ticket.id(), locked -> {
            if (request != null && !answerMayExist) {
                certificates.finishRequest(request.id(), "FAILED");
                secrets.delete(ticket.id(), requestPurpose(request.id()));
            }
            certificates.setProblem(ticket.id(), firstLine);
            tickets.setCertificatePending(ticket.id(), false);
            changes.record(locked, TicketEvent.SYSTEM, TicketEvent.Kind.CERTIFICATE_FAILED,
                    "could not create the vendor's distribution certificate: " + why);
            return null;
        });
        return false;
    }

    static String sha256(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    static X509Certificate x509(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
        } catch (CertificateException | IllegalArgumentException e) {
            return null;
        }
    }
}
