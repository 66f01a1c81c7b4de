package com.asconboard.ticket;

import com.asconboard.keys.KeyVault;
import com.asconboard.keys.SecretStore;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an account ends. {@code Close} abandons an onboarding that never completed; {@code Offboard} ends an
 * active account. Both destroy the ticket's secrets in the transaction that ends it — the stored API key, the
 * vendor's certificate private keys, any pending request's key: the rows are deleted — and stop everything
 * that would use them. Revoking the vendor's own certificate at Apple, when asked for, is a job recorded in
 * the same transaction; the API key it needs is destroyed when it is done.
 */
public final class Offboarding {
    private static final Logger log = LoggerFactory.getLogger(Offboarding.class);

    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final SecretStore secrets;
    private final Jobs jobs;
    private final String vendorAppleId;

    public Offboarding(TicketChanges changes, SecretStore secrets, Jobs jobs, String vendorAppleId) {
        this.changes = changes;
        this.tickets = changes.tickets();
        this.secrets = secrets;
        this.jobs = jobs;
        this.vendorAppleId = vendorAppleId;
    }

    /** What asking to end a ticket did. */
    public enum Outcome {
        DONE,
        /** Closed or offboarded already: nothing more to do. */
        ALREADY_ENDED,
        /** Close asked of an active account (offboard it), or Offboard of an onboarding (close it). */
        WRONG_STAGE
    }

    /** Abandons an onboarding; any key it received is destroyed. An active account is offboarded instead. */
    public Outcome close(long id, String actor) {
        return changes.apply(id, ticket -> {
            if (ticket.lifecycle() == Lifecycle.ACTIVE) {
                changes.reply(ticket, actor, ticket.key() + " is an active account: Close is for onboardings that "
                        + "never completed. Offboard it instead (admins), which destroys its secrets and tells the "
                        + "customer what to revoke.");
                return Outcome.WRONG_STAGE;
            }
            Instant now = changes.now();
            if (!tickets.end(id, Lifecycle.ONBOARDING, Lifecycle.CLOSED, actor, now)) {
                return Outcome.ALREADY_ENDED;
            }
            int destroyed = secrets.deleteAll(id, Set.of());
            StringBuilder detail = new StringBuilder("closed ").append(ticket.key())
                    .append(": the onboarding was abandoned");
            if (destroyed > 0) {
                detail.append("; ").append(ticket.hasKey() ? "the API key received was destroyed"
                        : "the secrets it held were destroyed");
            }
            VendorCertificate cert = ticket.certificate();
            if (cert != null && cert.usable(now)) {
                detail.append(". The vendor's distribution certificate (serial ").append(cert.serial())
                        .append(") stays in the customer's account, taking a slot, until it expires or they revoke it");
            }
            changes.record(tickets.find(id).orElseThrow(), actor, TicketEvent.Kind.CLOSED, detail.toString());
            log.info("{} closed; {} secret(s) destroyed", ticket.key(), destroyed);
            return Outcome.DONE;
        });
    }

    /**
     * Ends an active account: secrets destroyed, watching stopped, the thread says what the customer should do
     * on their side and what the vendor keeps. With {@code revokeCertificate}, the vendor's own certificate is
     * revoked at Apple (a job), freeing the customer's slot.
     */
    public Outcome offboard(long id, String actor, boolean revokeCertificate) {
        return changes.apply(id, ticket -> {
            if (!ticket.isOpen()) {
                return Outcome.ALREADY_ENDED;
            }
            if (ticket.lifecycle() != Lifecycle.ACTIVE) {
                return Outcome.WRONG_STAGE;
            }
            Instant now = changes.now();
            tickets.end(id, Lifecycle.ACTIVE, Lifecycle.OFFBOARDED, actor, now);
            VendorCertificate cert = ticket.certificate();
            boolean revoking = revokeCertificate && cert != null && cert.usable(now) && ticket.hasKey();
            // The revocation signs in with the customer's key: it is destroyed when the revocation is done.
            int destroyed = secrets.deleteAll(id, revoking ? Set.of(KeyVault.API_KEY) : Set.of());
            if (revoking) {
                jobs.revokeCertificates(id, actor);
            }
            changes.record(tickets.find(id).orElseThrow(), actor, TicketEvent.Kind.OFFBOARDED,
                    offboardedText(ticket, cert, revoking, now));
            log.info("{} offboarded; {} secret(s) destroyed{}", ticket.key(), destroyed,
                    revoking ? ", the certificate's revocation queued" : "");
            return Outcome.DONE;
        });
    }

    private String offboardedText(Ticket ticket, VendorCertificate cert, boolean revoking, Instant now) {
        String customer = ticket.details().customer();
        StringBuilder text = new StringBuilder("offboarded ").append(customer).append(": ");
        if (revoking) {
            text.append("the vendor's certificate private key was destroyed; the stored API key is destroyed as soon "
                    + "as the vendor's distribution certificate (serial ").append(cert.serial())
                    .append(") is revoked at Apple, which is under way.");
        } else {
            text.append("the stored API key and the vendor's certificate private key were destroyed.");
        }
        text.append(" The account is no longer watched.\nWhat ").append(customer)
                .append(" should do in App Store Connect:\n• revoke the API key")
                .append(ticket.details().keyId() == null ? "" : " " + ticket.details().keyId())
                .append(" (Users and Access → Integrations → App Store Connect API)\n• remove the vendor's user")
                .append(vendorAppleId == null ? "" : " " + vendorAppleId).append(" (Users and Access)");
        if (cert != null && cert.usable(now) && !revoking) {
            text.append("\n• if they want its slot back, revoke the vendor's distribution certificate (serial ")
                    .append(cert.serial()).append(", Certificates, Identifiers & Profiles → Certificates)");
        }
        text.append("\nWhat the vendor keeps: nothing secret — only this ticket's history (IDs, dates, certificate "
                + "serials).");
        return text.toString();
    }
}
