package com.asconboard.upload;

import com.asconboard.asc.VerificationReport;
import com.asconboard.i18n.Message;
import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.keys.InvalidApiKeyException;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.SecretStore;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.Outbox;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketRepository;
import com.asconboard.ticket.VerificationService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketClosedException;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time upload links: issuing them, showing what a link is for, and taking the customer's
 * {@code .p8} through one — validated, sealed under the master key and stored atomically, with the details
 * only the customer knows — then telling the customer Apple's verdict on the key: a key Apple rejects leaves
 * the link open for a corrected one.
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
    private final Verdicts verdicts;

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
        this.verdicts = new Verdicts(links, changes, MAX_FAILED_ATTEMPTS);
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
            return LinkPage.refused(UploadResult.Kind.NOT_FOUND, null, unknownMessage());
        }
        UploadLink link = lookup.get().link();
        Ticket ticket = lookup.get().ticket();
        String customer = ticket.details().customer();
        boolean hasVerdict = link.status() == LinkStatus.CHECKING
                || link.status() == LinkStatus.USED && link.verdict() != null;
        if (hasVerdict && !ticket.isOpen()) {
            return LinkPage.refused(UploadResult.Kind.GONE, customer, Message.of("link.closed"));
        }
        if (link.status() == LinkStatus.CHECKING) {
            return new LinkPage(LinkPage.State.CHECKING, UploadResult.Kind.ACCEPTED, customer, null, null, null, null,
                    null, null);
        }
        if (link.status() == LinkStatus.USED && link.verdict() == Verdict.VERIFIED) {
            return new LinkPage(LinkPage.State.VERIFIED, UploadResult.Kind.ACCEPTED, customer, null, null, null, null,
                    null, StillToDo.of(ticket.verification().report()));
        }
        if (link.status() == LinkStatus.USED && link.verdict() == Verdict.UNCONFIRMED) {
            return new LinkPage(LinkPage.State.STORED, UploadResult.Kind.ACCEPTED, customer, null, null, null, null,
                    null, null);
        }
        if (link.status() == LinkStatus.LOCKED && link.reopenedAfterRejection()) {
            return LinkPage.refused(UploadResult.Kind.TOO_MANY_ATTEMPTS, customer, Message.of("link.now_locked",
                    link.verdict().explained(link.verdictDetail(), ticket.details()), MAX_FAILED_ATTEMPTS));
        }
        UploadResult refusal = refusal(link, ticket, clock.instant());
        if (refusal != null) {
            return LinkPage.refused(refusal.kind(), customer, refusal.message());
        }
        Message rejection = link.reopenedAfterRejection() ? Message.of("link.tries_left",
                link.verdict().explained(link.verdictDetail(), ticket.details()),
                MAX_FAILED_ATTEMPTS - link.failedAttempts()) : null;
        return new LinkPage(LinkPage.State.FORM, UploadResult.Kind.ACCEPTED, customer, expectedKeyId(link, ticket),
                link.expiresAt(), rejection, CustomerDetails.asked(link, ticket), ticket.details(), null);
    }

    /**
     * Takes an uploaded key file, with the details the page asked for next to it ({@code entered}, by field;
     * a field the request did not carry is absent). The first valid upload wins; an invalid file leaves the
     * link usable until {@value #MAX_FAILED_ATTEMPTS} attempts have failed; a refused detail refuses the whole
     * upload without counting as one.
     */
    public UploadResult submit(String token, byte[] content, String fileName, Map<Field, String> entered,
            String ip) {
        try {
            Optional<Lookup> lookup = lookup(token);
            if (lookup.isEmpty()) {
                return UploadResult.of(UploadResult.Kind.NOT_FOUND, unknownMessage());
            }
            UploadLink link = lookup.get().link();
            Ticket ticket = lookup.get().ticket();
            Instant now = clock.instant();
            if (link.status() == LinkStatus.CHECKING && ticket.isOpen()) {
                return UploadResult.of(UploadResult.Kind.BEING_CHECKED, Message.of("link.checking"));
            }
            UploadResult refusal = refusal(link, ticket, now);
            if (refusal != null) {
                afterRefusal(link, refusal, ip, now);
                return refusal;
            }
            Map<Field, String> details = new EnumMap<>(Field.class);
            Map<Field, Message> errors = CustomerDetails.check(link, ticket, entered, details);
            if (!errors.isEmpty()) {
                log.info("upload link {} of ticket {}: refused the details entered ({}) from {}", link.id(),
                        link.ticketId(), errors.keySet(), ip);
                return UploadResult.detailsInvalid(errors);
            }
            ApiKey key;
            try {
                key = ApiKeyFile.parse(content, fileName, expectedKeyId(link, ticket));
            } catch (InvalidApiKeyException e) {
                return failed(link, e, ip);
            }
            return store(link, ticket, key, details, ip, now);
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

    /**
     * Inside the transaction that records a finished verification, with the ticket locked: tells the ticket's
     * link waiting for Apple's verdict (see {@link Verdicts}).
     */
    public void afterVerification(Ticket ticket, VerificationReport report) {
        verdicts.afterVerification(ticket, report);
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
        if (link.status() == LinkStatus.USED) {
            noteLateUse(link, ip);
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
     * still may be, the details the customer entered written to the ticket, the key stored sealed (replacing
     * one Apple rejected), the ticket marked as having it (its Key ID filled in from the file name if it had
     * none, or replaced by a corrected key's), the events recorded and the verification queued — all or
     * nothing. When a verification is queued, the link waits for its verdict.
     */
    private UploadResult store(UploadLink link, Ticket ticket, ApiKey key, Map<Field, String> entered, String ip,
            Instant now) {
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
        boolean corrected = link.reopenedAfterRejection();
        Boolean checking = changes.apply(ticket.id(), locked -> {
            if (!locked.isOpen() || !links.consume(link.id(), now, ip)) {
                return null;
            }
            TicketDetails before = locked.details();
            String replacedKeyId = writeDetails(locked, entered, corrected ? keyId : null, now);
            secretStore.put(ticket.id(), KEY_PURPOSE, sealed, now);
            tickets.keyReceived(ticket.id(), now, ip, keyId);
            String detail = (corrected ? "uploaded a corrected key " + name + " through the secure link (from " + ip
                    + "), replacing the key Apple rejected" : "uploaded " + name + " through the secure link (from "
                    + ip + ")");
            if (replacedKeyId != null) {
                detail += "; its Key ID " + keyId + " replaces " + replacedKeyId;
            } else if (key.keyIdFromFileName() && before.keyId() == null) {
                detail += "; Key ID " + keyId + " was taken from the file name";
            } else if (keyId == null) {
                detail += "; the Key ID is still needed (Edit details)";
            }
            changes.record(locked, TicketEvent.CUSTOMER, TicketEvent.Kind.KEY_RECEIVED, detail);
            verifications.startIfReady(tickets.find(ticket.id()).orElseThrow(), TicketEvent.CUSTOMER);
            boolean verifying = tickets.find(ticket.id()).orElseThrow().verification().running();
            if (verifying) {
                links.startChecking(link.id());
            }
            return verifying;
        });
        if (checking == null) {
            return lostRace(link, ticket, ip);
        }
        log.info("ticket {}: API key received through upload link {} from {}{}", ticket.key(), link.id(), ip,
                checking ? "; asking Apple" : "");
        Message message = Message.of("link.accepted", keyId == null ? Message.of("link.unnamed_file") : name);
        if (key.keyIdFromFileName() && ticket.details().keyId() == null) {
            message = Message.of("link.accepted_key_id", message, keyId);
        }
        return new UploadResult(UploadResult.Kind.ACCEPTED, message, keyId, checking, Map.of());
    }

    /**
     * Inside the upload's transaction: writes the details the customer entered to the ticket, with their event,
     * and a corrected key's Key ID when it differs. Returns the Key ID replaced, or null.
     */
    private String writeDetails(Ticket locked, Map<Field, String> entered, String correctedKeyId, Instant now) {
        TicketDetails before = locked.details();
        TicketDetails details = before;
        List<String> described = new ArrayList<>();
        for (Map.Entry<Field, String> value : entered.entrySet()) {
            String old = value.getKey().valueIn(details);
            if (!value.getValue().equals(old)) {
                details = value.getKey().withValue(details, value.getValue());
                described.add("the " + value.getKey().label() + " " + value.getValue()
                        + (old == null ? "" : " (replacing " + old + ")"));
            }
        }
        String replaced = null;
        if (correctedKeyId != null && before.keyId() != null && !correctedKeyId.equals(before.keyId())) {
            replaced = before.keyId();
            details = Field.KEY_ID.withValue(details, correctedKeyId);
        }
        if (!details.equals(before)) {
            tickets.updateDetails(locked.id(), details, now);
        }
        if (!described.isEmpty()) {
            changes.record(locked, TicketEvent.CUSTOMER, TicketEvent.Kind.DETAILS_EDITED, "entered "
                    + String.join(" and ", described) + " on the upload page");
        }
        return replaced;
    }

    /**
     * Another upload spent the link first (it is being checked, or it is used), or the link ended meanwhile
     * (revoked by a newer one, its ticket closed): then no key came through it, and the customer hears why.
     */
    private UploadResult lostRace(UploadLink link, Ticket ticket, String ip) {
        Optional<UploadLink> now = links.find(link.id());
        if (now.isPresent() && now.get().status() == LinkStatus.CHECKING) {
            return UploadResult.of(UploadResult.Kind.BEING_CHECKED, Message.of("link.checking"));
        }
        if (now.isPresent() && now.get().status() != LinkStatus.USED) {
            UploadResult ended = refusal(now.get(), tickets.find(ticket.id()).orElse(ticket), clock.instant());
            if (ended != null) {
                return ended;
            }
        }
        noteLateUse(link, ip);
        return UploadResult.of(UploadResult.Kind.GONE, Message.of("link.used_just_now"));
    }

    /** The thread hears of the first upload refused because the key already came through the link, once. */
    private void noteLateUse(UploadLink link, String ip) {
        if (links.claimLateUseNotice(link.id())) {
            noteQuietly(link.ticketId(), TicketEvent.SYSTEM, TicketEvent.Kind.LINK_REUSED,
                    "someone tried the upload link again after the key was received (from " + ip
                            + "); it was refused");
        }
    }

    /** The Key ID the file must carry: the ticket's, unless Apple rejected the key before (a new key has its own). */
    private static String expectedKeyId(UploadLink link, Ticket ticket) {
        return link.reopenedAfterRejection() ? null : ticket.details().keyId();
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
