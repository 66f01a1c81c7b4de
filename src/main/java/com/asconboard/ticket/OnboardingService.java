package com.asconboard.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onboarding flow: opens and edits tickets ({@link Offboarding} ends them). Each change is one {@link TicketChanges} step: the
 * ticket locked, changed, its audit event and messages queued, committed before Slack hears back.
 */
public final class OnboardingService {
    private static final Logger log = LoggerFactory.getLogger(OnboardingService.class);
    public static final int LIST_LIMIT = 50;

    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final VerificationService verifications;

    public OnboardingService(TicketChanges changes, VerificationService verifications) {
        this.changes = changes;
        this.tickets = changes.tickets();
        this.verifications = verifications;
    }

    /** Creates a ticket; its status message is posted in {@code channelId} from the outbox. */
    public Ticket open(String workspaceId, String channelId, String actor, TicketDetails details) {
        Ticket ticket = changes.inTransaction(() -> {
            Ticket created = tickets.create(workspaceId, channelId, actor, details, changes.now());
            changes.record(created, actor, TicketEvent.Kind.OPENED, "opened " + created.key() + " for "
                    + details.customer());
            return created;
        });
        log.info("{} opened in workspace {} channel {}", ticket.key(), ticket.workspaceId(), ticket.channelId());
        return ticket;
    }

    /** What saving an edit did. */
    public enum EditOutcome {
        SAVED,
        /** The form held the ticket's details as they are: nothing to save. */
        UNCHANGED,
        /** The details changed since the form was opened; saving would overwrite that unseen. */
        STALE,
        CLOSED
    }

    /** The outcome and the ticket afterwards. */
    public record Edit(EditOutcome outcome, Ticket ticket) {
    }

    /** Like {@link #editDetails(long, String, TicketDetails, String, int)}, leaving the owner as it is. */
    public Edit editDetails(long id, String actor, TicketDetails details, int seenVersion) {
        return editDetails(id, actor, details, null, seenVersion);
    }

    /**
     * Replaces the ticket's details and its owner ({@code owner}: a Slack user ID, or null to keep it), if the
     * details are still those the form was opened with ({@code seenVersion}, from {@link Ticket#detailsVersion()}),
     * and verifies again when what identifies the account changed.
     */
    public Edit editDetails(long id, String actor, TicketDetails details, String owner, int seenVersion) {
        return changes.apply(id, before -> {
            if (!before.isOpen()) {
                return new Edit(EditOutcome.CLOSED, before);
            }
            if (before.detailsVersion() != seenVersion) {
                return new Edit(EditOutcome.STALE, before);
            }
            List<String> described = describeChanges(before.details(), details);
            boolean newOwner = owner != null && !owner.equals(before.owner());
            if (described.isEmpty() && !newOwner) {
                changes.reply(before, actor, "Nothing changed on " + before.key() + ".");
                return new Edit(EditOutcome.UNCHANGED, before);
            }
            if (newOwner) {
                tickets.setOwner(id, owner, changes.now());
                // The detail is the user ID alone: the chat shows it as a mention.
                changes.record(tickets.find(id).orElseThrow(), actor, TicketEvent.Kind.OWNER_CHANGED, owner);
            }
            if (described.isEmpty()) {
                return new Edit(EditOutcome.SAVED, tickets.find(id).orElseThrow());
            }
            tickets.updateDetails(id, details, changes.now());
            Ticket after = tickets.find(id).orElseThrow();
            changes.record(after, actor, TicketEvent.Kind.DETAILS_EDITED, "updated the details: "
                    + String.join("; ", described));
            if (accountChanged(before.details(), details)) {
                verifications.startIfReady(after, actor);
            }
            return new Edit(EditOutcome.SAVED, after);
        });
    }

    /**
     * Records something that happened to a ticket outside the Slack flow (a link expiring, a warning) and
     * shows it: the status message is brought up to date and the event goes to its thread.
     */
    public void note(long id, String actor, TicketEvent.Kind kind, String detail) {
        changes.apply(id, ticket -> changes.record(ticket, actor, kind, detail));
    }

    /** Records that an engineer confirmed step 1 by hand, where the key may not read the account's users. */
    public Ticket confirmAccess(long id, String actor) {
        return changes.apply(id, ticket -> {
            if (!ticket.isOpen()) {
                throw new TicketClosedException(ticket);
            }
            tickets.confirmAccess(id, actor, changes.now());
            Ticket confirmed = tickets.find(id).orElseThrow();
            changes.record(confirmed, actor, TicketEvent.Kind.ACCESS_CONFIRMED,
                    "confirmed that the customer invited the vendor user with certificate access");
            return confirmed;
        });
    }

    /** The ticket with this number, whatever its workspace: for callers that hold a capability to it. */
    public Ticket get(long id) {
        return tickets.find(id).orElseThrow(() -> new TicketNotFoundException(id));
    }

    /** The ticket with this number in this workspace. */
    public Ticket get(String workspaceId, long id) {
        return tickets.find(id)
                .filter(t -> t.workspaceId().equals(workspaceId))
                .orElseThrow(() -> new TicketNotFoundException(id));
    }

    public java.util.Optional<Ticket> find(long id) {
        return tickets.find(id);
    }

    /**
     * Open tickets of one channel ({@code channelId}), or of the whole workspace when it is null, newest
     * first, at most {@link #LIST_LIMIT}.
     */
    public List<Ticket> openTickets(String workspaceId, String channelId) {
        return tickets.findOpen(workspaceId, channelId, LIST_LIMIT);
    }

    public int countOpen(String workspaceId, String channelId) {
        return tickets.countOpen(workspaceId, channelId);
    }

    public List<TicketEvent> history(long id) {
        return tickets.events(id);
    }

    /** Only what identifies the account warrants a new verification, not a renamed customer. */
    static boolean accountChanged(TicketDetails before, TicketDetails after) {
        return !Objects.equals(before.teamId(), after.teamId())
                || !Objects.equals(before.teamName(), after.teamName())
                || !Objects.equals(before.issuerId(), after.issuerId())
                || !Objects.equals(before.keyId(), after.keyId());
    }

    static List<String> describeChanges(TicketDetails before, TicketDetails after) {
        List<String> changes = new ArrayList<>();
        change(changes, Field.CUSTOMER, before.customer(), after.customer());
        change(changes, Field.TEAM_NAME, before.teamName(), after.teamName());
        change(changes, Field.TEAM_ID, before.teamId(), after.teamId());
        change(changes, Field.ISSUER_ID, before.issuerId(), after.issuerId());
        change(changes, Field.KEY_ID, before.keyId(), after.keyId());
        return changes;
    }

    private static void change(List<String> changes, Field field, String before, String after) {
        if (!Objects.equals(before, after)) {
            changes.add(field.label() + " " + (before == null ? "(none)" : before) + " → "
                    + (after == null ? "(none)" : after));
        }
    }
}
