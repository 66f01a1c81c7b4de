package com.asconboard.upload;

import com.asconboard.i18n.Message;
import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.keys.InvalidApiKeyException;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.SecretStore;
import com.asconboard.ticket.Outbox;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketRepository;
import com.asconboard.ticket.VerificationService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketClosedException;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time upload links: issuing them, showing what a link is for, and taking the customer's
 * {@code .p8} through one — validated, sealed under the master key and stored atomically.
 */
public final class UploadLinks {
    private static final Logger log = LoggerFactory.getLogger(UploadLinks.class);
    /** Invalid uploads a link tolerates before it locks. */
    public static final int MAX_FAILED_ATTEMPTS = 5;
    /** The purpose a ticket's API key is sealed under; part of the AAD that binds it to its ticket. */
    public static final String KEY_PURPOSE = com.asconboard.keys.KeyVault.API_KEY;
    public static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final UploadLinkRepository links;
    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final SecretBox secrets;
    private final SecretStore secretStore;
    private final VerificationService verifications;
    private final Clock clock;
    private final Duration ttl;
    private final String publicBase;

    public UploadLinks(UploadLinkRepository links, TicketChanges changes, SecretBox secrets, SecretStore secretStore,
            VerificationService verifications, Clock clock, Duration ttl, String publicBase) {
        this.links = links;
        this.changes = changes;
        this.tickets = changes.tickets();
        this.secrets = secrets;
        this.secretStore = secretStore;
        this.verifications = verifications;
        this.clock = clock;
        this.ttl = ttl;
        this.publicBase = publicBase;
    }

    /** The purpose under which a link waiting to be shown to the engineer is sealed in the outbox. */
    public static final String LINK_PURPOSE = "outbox.link";

    /**
     * Inside the transaction holding {@code ticket} locked: issues a new link, revoking its earlier one, records
     * who asked (never the token), and queues the link for the engineer who asked, sealed until it is shown.
     *
     * @throws TicketClosedException when the ticket is closed
     */
    public IssuedLink issue(Ticket ticket, String actor) {
        if (!ticket.isOpen()) {
            throw new TicketClosedException(ticket);
        }
        String token = UploadToken.generate();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String url = publicBase + "/upload/" + token;
        links.issue(ticket.id(), UploadToken.hash(token), actor, now, expires);
        changes.record(ticket, actor, TicketEvent.Kind.LINK_CREATED,
                "created an upload link for the .p8; it expires " + WHEN.format(expires)
                        + (ticket.hasKey() ? " (an upload through it will replace the key received earlier)" : ""));
        byte[] plain = url.getBytes(StandardCharsets.UTF_8);
        try {
            changes.replySealed(ticket, actor, Outbox.Kind.LINK, expires + (ticket.hasKey() ? " replaces-key" : ""),
                    secrets.seal(plain, SecretBox.aadFor(ticket.id(), LINK_PURPOSE)).toBytes());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return new IssuedLink(ticket.key(), ticket.details().customer(), url, expires, ticket.hasKey());
    }

    /** Opens a link sealed by {@link #issue} when the outbox shows it. */
    public String openSealedLink(long ticketId, byte[] sealed) {
        try {
            byte[] plain = secrets.open(Sealed.fromBytes(sealed), SecretBox.aadFor(ticketId, LINK_PURPOSE));
            try {
                return new String(plain, StandardCharsets.UTF_8);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (SealedDataException e) {
            throw new IllegalStateException("the upload link waiting to be shown cannot be opened: " + e.getMessage());
        }
    }

    /** What the link's page shows. No side effect: link scanners and previews fetch it too. */
    public LinkPage page(String token) {
        Optional<Lookup> lookup = lookup(token);
        if (lookup.isEmpty()) {
            return new LinkPage(UploadResult.Kind.NOT_FOUND, null, null, null, unknownMessage());
        }
        UploadLink link = lookup.get().link();
        Ticket ticket = lookup.get().ticket();
        UploadResult refusal = refusal(link, ticket, clock.instant());
        if (refusal != null) {
            return new LinkPage(refusal.kind(), ticket.details().customer(), null, null, refusal.message());
        }
        return new LinkPage(UploadResult.Kind.ACCEPTED, ticket.details().customer(), ticket.details().keyId(),
                link.expiresAt(), null);
    }

    /**
     * Takes an uploaded key file. The first valid upload wins; an invalid one leaves the link usable
     * until {@value #MAX_FAILED_ATTEMPTS} have failed.
     */
    public UploadResult submit(String token, byte[] content, String fileName, String ip) {
        try {
            Optional<Lookup> lookup = lookup(token);
            if (lookup.isEmpty()) {
                return UploadResult.of(UploadResult.Kind.NOT_FOUND, unknownMessage());
            }
            UploadLink link = lookup.get().link();
            Ticket ticket = lookup.get().ticket();
            Instant now = clock.instant();
            UploadResult refusal = refusal(link, ticket, now);
            if (refusal != null) {
                afterRefusal(link, refusal, ip, now);
                return refusal;
            }
            ApiKey key;
            try {
                key = ApiKeyFile.parse(content, fileName, ticket.details().keyId());
            } catch (InvalidApiKeyException e) {
                return failed(link, e, ip);
            }
            return store(link, ticket, key, fileName, ip, now);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** How long an ended link is kept (to answer a late visit with "already used" rather than "unknown"). */
    public static final Duration KEEP_ENDED = Duration.ofDays(90);

    /** Deletes links that ended more than {@link #KEEP_ENDED} ago; the thread keeps their story. Runs on a schedule. */
    public int pruneEnded() {
        return links.pruneEndedBefore(clock.instant().minus(KEEP_ENDED));
    }

    /** Marks links past their expiry and tells each ticket's thread once. Runs on a schedule. */
    public void expireDue() {
        for (UploadLink link : links.expireDue(clock.instant())) {
            noteQuietly(link.ticketId(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_EXPIRED,
                    "the upload link created " + WHEN.format(link.createdAt()) + " expired unused; "
                            + "create a new one with Upload link if the customer still needs it");
        }
    }

    private record Lookup(UploadLink link, Ticket ticket) {
    }

    private Optional<Lookup> lookup(String token) {
        if (!UploadToken.isWellFormed(token)) {
            return Optional.empty();
        }
        return links.findByTokenHash(UploadToken.hash(token)).flatMap(link -> {
            try {
                return tickets.find(link.ticketId()).map(ticket -> new Lookup(link, ticket));
            } catch (TicketNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** Why this link takes no upload now, or null when it does. */
    private static UploadResult refusal(UploadLink link, Ticket ticket, Instant now) {
        if (link.status() == LinkStatus.LOCKED) {
            return UploadResult.of(UploadResult.Kind.TOO_MANY_ATTEMPTS, Message.of("link.locked", MAX_FAILED_ATTEMPTS));
        }
        if (link.status() == LinkStatus.USED) {
            return UploadResult.of(UploadResult.Kind.GONE, Message.of("link.used", link.usedAt()));
        }
        if (link.status() == LinkStatus.REVOKED) {
            return UploadResult.of(UploadResult.Kind.GONE, Message.of("link.revoked"));
        }
        if (link.status() == LinkStatus.EXPIRED || !now.isBefore(link.expiresAt())) {
            return UploadResult.of(UploadResult.Kind.GONE, Message.of("link.expired", link.expiresAt()));
        }
        if (!ticket.isOpen()) {
            return UploadResult.of(UploadResult.Kind.GONE, Message.of("link.closed"));
        }
        return null;
    }

    private void afterRefusal(UploadLink link, UploadResult refusal, String ip, Instant now) {
        if (link.status() == LinkStatus.USED && links.claimLateUseNotice(link.id())) {
            noteQuietly(link.ticketId(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_REUSED,
                    "someone tried the upload link again after the key was received (from " + ip
                            + "); it was refused");
        } else if (link.status() == LinkStatus.ACTIVE && !now.isBefore(link.expiresAt())) {
            expireDue();
        }
    }

    private UploadResult failed(UploadLink link, InvalidApiKeyException e, String ip) {
        UploadLink after = links.recordFailure(link.id(), MAX_FAILED_ATTEMPTS);
        log.info("upload link {} of ticket {}: refused a file ({}) from {}", link.id(), link.ticketId(),
                e.problem(), ip);
        if (after.status() == LinkStatus.LOCKED) {
            noteQuietly(link.ticketId(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_LOCKED,
                    "the upload link is locked after " + MAX_FAILED_ATTEMPTS + " invalid files (last one from " + ip
                            + ": " + e.problem() + "); create a new one with Upload link");
            return UploadResult.of(UploadResult.Kind.INVALID,
                    Message.of("link.now_locked", e.text(), MAX_FAILED_ATTEMPTS));
        }
        int left = MAX_FAILED_ATTEMPTS - after.failedAttempts();
        return UploadResult.of(UploadResult.Kind.INVALID, Message.of("link.tries_left", e.text(), left));
    }

    /**
     * The one step that hands the key over, in one transaction with the ticket locked: the link is spent if it
     * still may be, the key stored sealed, the ticket marked as having it (its Key ID filled in from the file
     * name if it had none), the event recorded and the verification queued — all or nothing.
     */
    private UploadResult store(UploadLink link, Ticket ticket, ApiKey key, String fileName, String ip, Instant now) {
        byte[] pkcs8 = key.pkcs8();
        Sealed sealed;
        try {
            sealed = secrets.seal(pkcs8, SecretBox.aadFor(ticket.id(), KEY_PURPOSE));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            key.destroy();
        }
        String keyId = key.keyId();
        String name = "AuthKey_" + (keyId == null ? "<Key ID>" : keyId) + ".p8";
        boolean stored = changes.apply(ticket.id(), locked -> {
            if (!locked.isOpen() || !links.consume(link.id(), now, ip)) {
                return false;
            }
            secretStore.put(ticket.id(), KEY_PURPOSE, sealed, now);
            tickets.keyReceived(ticket.id(), now, ip, keyId);
            String detail = "uploaded " + name + " through the secure link (from " + ip + ")";
            if (key.keyIdFromFileName() && locked.details().keyId() == null) {
                detail += "; Key ID " + keyId + " was taken from the file name";
            } else if (keyId == null) {
                detail += "; the Key ID is still needed (Edit details)";
            }
            changes.record(locked, TicketEvent.CUSTOMER, TicketEvent.Kind.KEY_RECEIVED, detail);
            verifications.startIfReady(tickets.find(ticket.id()).orElseThrow(), TicketEvent.CUSTOMER);
            return true;
        });
        if (!stored) {
            UploadResult gone = UploadResult.of(UploadResult.Kind.GONE, Message.of("link.used_just_now"));
            if (links.claimLateUseNotice(link.id())) {
                noteQuietly(ticket.id(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_REUSED,
                        "someone tried the upload link again after the key was received (from " + ip
                                + "); it was refused");
            }
            return gone;
        }
        log.info("ticket {}: API key received through upload link {} from {}", ticket.key(), link.id(), ip);
        Message message = Message.of("link.accepted", keyId == null ? Message.of("link.unnamed_file") : name);
        if (key.keyIdFromFileName() && ticket.details().keyId() == null) {
            message = Message.of("link.accepted_key_id", message, keyId);
        }
        return new UploadResult(UploadResult.Kind.ACCEPTED, message, keyId);
    }

    /** Telling Slack must never undo or fail what was stored. */
    private void noteQuietly(long ticketId, String actor, TicketEvent.Kind kind, String detail) {
        try {
            changes.apply(ticketId, ticket -> changes.record(ticket, actor, kind, detail));
        } catch (RuntimeException e) {
            log.warn("ticket {}: could not record {}: {}", ticketId, kind, e.getMessage());
        }
    }

    private static Message unknownMessage() {
        return Message.of("link.unknown");
    }
}
