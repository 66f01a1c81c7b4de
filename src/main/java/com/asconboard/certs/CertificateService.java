package com.asconboard.certs;

import com.asconboard.asc.AppStoreConnect;
import com.asconboard.asc.AscCertificate;
import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.AscException;
import com.asconboard.asc.VerificationReport;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketEvent;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the vendor's distribution certificate in a customer's account: a fresh RSA key and CSR,
 * {@code POST /v1/certificates}, the certificate and its sealed private key stored. Never a second
 * one while the vendor's is valid (unless renewing near expiry), never two at once for a ticket.
 */
public final class CertificateService {
    private static final Logger log = LoggerFactory.getLogger(CertificateService.class);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final String SLOTS_FULL_PHRASE = "current Distribution certificate";

    private final CertificateRepository certificates;
    private final OnboardingService onboarding;
    private final KeyVault vault;
    private final SecretBox box;
    private final AscConnector connector;
    private final ExecutorService executor;
    private final Clock clock;
    private final String vendorName;
    private final boolean automatic;
    private final Set<Long> creating = ConcurrentHashMap.newKeySet();

    public CertificateService(CertificateRepository certificates, OnboardingService onboarding, KeyVault vault,
            SecretBox box, AscConnector connector, ExecutorService executor, Clock clock, String vendorName,
            boolean automatic) {
        this.certificates = certificates;
        this.onboarding = onboarding;
        this.vault = vault;
        this.box = box;
        this.connector = connector;
        this.executor = executor;
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

    /** What a click on Create certificate did. */
    public enum Start { STARTED, ALREADY_RUNNING, ALREADY_HAS, NOT_READY, CLOSED }

    /** Starts creating the certificate in the background, unless there is a reason not to. */
    public Start create(String workspaceId, long ticketId, String actor) {
        Ticket ticket = onboarding.get(workspaceId, ticketId);
        if (!ticket.isOpen()) {
            return Start.CLOSED;
        }
        if (!ticket.readyToVerify()) {
            return Start.NOT_READY;
        }
        if (ticket.certificate() != null && ticket.certificate().usable(clock.instant())) {
            return Start.ALREADY_HAS;
        }
        if (!creating.add(ticketId)) {
            return Start.ALREADY_RUNNING;
        }
        try {
            executor.execute(() -> {
                try {
                    issue(ticketId, actor, "");
                } finally {
                    creating.remove(ticketId);
                }
            });
        } catch (RejectedExecutionException e) {
            creating.remove(ticketId);
            throw new IllegalStateException("the bot is overloaded or shutting down; try again in a minute");
        }
        return Start.STARTED;
    }

    /** After a successful verification: creates the certificate when a slot is free and the ticket has none. */
    public void afterVerification(long ticketId, VerificationReport report) {
        if (!automatic || !report.verified() || report.freeSlots() == 0) {
            return;
        }
        Ticket ticket = onboarding.get(ticketId);
        if (ticket.certificate() != null && ticket.certificate().usable(clock.instant())) {
            return;
        }
        if (ticket.certificateProblem() != null) {
            // A failure is not retried by itself on every verification; the engineer decides.
            return;
        }
        runExclusively(ticketId, () -> issue(ticketId, TicketEvent.SYSTEM, " (automatically, a slot being free)"));
    }

    /** Creates the successor of a certificate that expires soon, or replaces a revoked one; the watcher calls it. */
    public boolean replace(long ticketId, String why) {
        if (!automatic) {
            return false;
        }
        boolean[] created = {false};
        runExclusively(ticketId, () -> created[0] = issue(ticketId, TicketEvent.SYSTEM, why));
        return created[0];
    }

    private void runExclusively(long ticketId, Runnable work) {
        if (!creating.add(ticketId)) {
            return;
        }
        try {
            work.run();
        } finally {
            creating.remove(ticketId);
        }
    }

    /** Creates and stores the certificate; says what happened in the ticket's thread. True when one was made. */
    boolean issue(long ticketId, String actor, String why) {
        Ticket ticket = onboarding.get(ticketId);
        try {
            Optional<ECPrivateKey> apiKey = vault.apiKey(ticketId);
            if (apiKey.isEmpty() || !ticket.readyToVerify()) {
                return failed(ticket, "the ticket has no key, Issuer ID or Key ID yet", null);
            }
            AppStoreConnect asc = connector.open(new AscCredentials(ticket.details().issuerId(),
                    ticket.details().keyId(), apiKey.get()));
            SigningRequest request = SigningRequest.create(vendorName, ticket.details().teamId());
            AscCertificate created;
            try {
                created = asc.createDistributionCertificate(request.csrBase64());
            } catch (AscException e) {
                return failed(ticket, refusal(asc, e), e);
            }
            X509Certificate x509 = x509(created.content());
            if (x509 == null || !x509.getPublicKey().equals(request.keyPair().getPublic())) {
                return failed(ticket, "Apple's answer did not hold a certificate for the key the bot sent", null);
            }
            String serial = created.serialNumber() != null ? created.serialNumber().toUpperCase(Locale.ROOT)
                    : x509.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
            Instant expires = created.expires() != null ? created.expires() : x509.getNotAfter().toInstant();
            byte[] pkcs8 = request.keyPair().getPrivate().getEncoded();
            Sealed sealed;
            try {
                sealed = box.seal(pkcs8, SecretBox.aadFor(ticketId, keyPurpose(serial)));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
            certificates.add(ticketId, new CertificateRepository.Issued(created.id(), serial, created.label(), expires,
                    x509.getEncoded()), keyPurpose(serial), sealed, actor, clock.instant());
            log.info("{}: created distribution certificate {} expiring {}", ticket.key(), serial, expires);
            onboarding.note(ticketId, actor, TicketEvent.Kind.CERTIFICATE_CREATED, "created the vendor's distribution "
                    + "certificate " + created.label() + " (serial " + serial + "), valid until " + DAY.format(expires)
                    + why);
            return true;
        } catch (SealedDataException e) {
            return failed(ticket, "the stored API key cannot be opened: " + e.getMessage(), null);
        } catch (CertificateException | RuntimeException e) {
            log.warn("{}: creating the certificate failed: {}", ticket.key(), e.toString());
            return failed(ticket, "creating it failed unexpectedly (" + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** Apple's refusal in words the customer's admin can act on. */
    private static String refusal(AppStoreConnect asc, AscException e) {
        if (e.status() == 409 && e.errors().stream().anyMatch(err -> err.detail() != null
                && err.detail().contains(SLOTS_FULL_PHRASE))) {
            StringBuilder text = new StringBuilder("all 3 distribution-certificate slots are in use");
            try {
                List<AscCertificate> inUse = asc.distributionCertificates();
                text.append(':');
                for (AscCertificate c : inUse) {
                    text.append("\n• ").append(c.label()).append(c.expires() == null ? ""
                            : ", expires " + DAY.format(c.expires()));
                }
            } catch (AscException ignored) {
                text.append(" (the list could not be read)");
            }
            return text.append("\nThe customer must revoke one they no longer need (Certificates, Identifiers & "
                    + "Profiles → Certificates); revoking does not affect apps already on the App Store. Then press "
                    + "Create certificate.").toString();
        }
        if (e.status() == 403) {
            return "Apple lets this key read certificates but not create a distribution certificate (for some "
                    + "accounts Apple reserves that to the Admin and Account Holder roles). The customer can give the "
                    + "key the Admin role, or the Account Holder can allow App Managers to create certificates; then "
                    + "press Create certificate.";
        }
        return "Apple answered " + e.appleSays() + (e.status() >= 500 || e.unreachable() ? "; try again later" : "");
    }

    private boolean failed(Ticket ticket, String why, AscException cause) {
        String firstLine = why.lines().findFirst().orElse(why);
        certificates.setProblem(ticket.id(), firstLine);
        if (cause != null) {
            log.info("{}: certificate not created: HTTP {}", ticket.key(), cause.status());
        }
        onboarding.note(ticket.id(), TicketEvent.SYSTEM, TicketEvent.Kind.CERTIFICATE_FAILED,
                "could not create the vendor's distribution certificate: " + why);
        return false;
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
