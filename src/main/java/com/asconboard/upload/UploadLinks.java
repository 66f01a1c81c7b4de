package com.asconboard.upload;

import com.asconboard.i18n.Message;
import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.keys.InvalidApiKeyException;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.ticket.OnboardingService;
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
import java.util.function.LongConsumer;
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
    private final OnboardingService onboarding;
    private final SecretBox secrets;
    private final Clock clock;
    private final Duration ttl;
    private final String publicBase;
    private final LongConsumer onKeyReceived;

    /** {@code onKeyReceived} gets the ticket id after a key was stored (e.g. to verify it). */
    public UploadLinks(UploadLinkRepository links, OnboardingService onboarding, SecretBox secrets, Clock clock,
            Duration ttl, String publicBase, LongConsumer onKeyReceived) {
        this.onKeyReceived = onKeyReceived;
        this.links = links;
        this.onboarding = onboarding;
        this.secrets = secrets;
        this.clock = clock;
        this.ttl = ttl;
        this.publicBase = publicBase;
    }

    /** Issues a new link for the ticket, revoking its earlier one, and records who asked (never the token). */
    public IssuedLink issue(String workspaceId, long ticketId, String actor) {
        Ticket ticket = onboarding.get(workspaceId, ticketId);
        if (!ticket.isOpen()) {
            throw new TicketClosedException(ticket);
        }
        String token = UploadToken.generate();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        links.issue(ticketId, UploadToken.hash(token), actor, now, expires);
        onboarding.note(ticketId, actor, TicketEvent.Kind.LINK_CREATED,
                "created an upload link for the .p8; it expires " + WHEN.format(expires)
                        + (ticket.hasKey() ? " (an upload through it will replace the key received earlier)" : ""));
        return new IssuedLink(ticket.key(), ticket.details().customer(), publicBase + "/upload/" + token, expires,
                ticket.hasKey());
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
                return Optional.of(new Lookup(link, onboarding.get(link.ticketId())));
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
        if (!links.consume(link.id(), ticket.id(), now, ip, sealed, keyId)) {
            UploadResult gone = UploadResult.of(UploadResult.Kind.GONE, Message.of("link.used_just_now"));
            if (links.claimLateUseNotice(link.id())) {
                noteQuietly(ticket.id(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_REUSED,
                        "someone tried the upload link again after the key was received (from " + ip
                                + "); it was refused");
            }
            return gone;
        }
        String name = "AuthKey_" + (keyId == null ? "<Key ID>" : keyId) + ".p8";
        String detail = "uploaded " + name + " through the secure link (from " + ip + ")";
        if (key.keyIdFromFileName() && ticket.details().keyId() == null) {
            detail += "; Key ID " + keyId + " was taken from the file name";
        } else if (keyId == null) {
            detail += "; the Key ID is still needed (Edit details)";
        }
        log.info("ticket {}: API key received through upload link {} from {}", ticket.key(), link.id(), ip);
        noteQuietly(ticket.id(), TicketEvent.CUSTOMER, TicketEvent.Kind.KEY_RECEIVED, detail);
        onKeyReceived.accept(ticket.id());
        Message message = Message.of("link.accepted", keyId == null ? Message.of("link.unnamed_file") : name);
        if (key.keyIdFromFileName() && ticket.details().keyId() == null) {
            message = Message.of("link.accepted_key_id", message, keyId);
        }
        return new UploadResult(UploadResult.Kind.ACCEPTED, message, keyId);
    }

    /** Telling Slack must never undo or fail what was stored. */
    private void noteQuietly(long ticketId, String actor, TicketEvent.Kind kind, String detail) {
        try {
            onboarding.note(ticketId, actor, kind, detail);
        } catch (RuntimeException e) {
            log.warn("ticket {}: could not record {}: {}", ticketId, kind, e.getMessage());
        }
    }

    private static Message unknownMessage() {
        return Message.of("link.unknown");
    }
}
