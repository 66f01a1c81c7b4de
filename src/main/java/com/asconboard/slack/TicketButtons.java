package com.asconboard.slack;

import com.asconboard.certs.CertificateService;
import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketClosedException;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.UploadLinks;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buttons of a status message. Each click is checked (workspace, channel, role), then what it asks for is
 * committed — the change, its event, its messages and any job — before the ack; what is slow runs afterwards
 * from those rows, on whichever instance claims them.
 */
final class TicketButtons {
    private static final Logger log = LoggerFactory.getLogger(TicketButtons.class);

    private final OnboardingService onboarding;
    private final TicketChanges changes;
    private final Access access;
    private final Background background;
    private final SlackNotifier notifier;
    private final UploadLinks uploads;
    private final VerificationService verifications;
    private final CertificateService certificates;
    private final Offboarding offboarding;

    TicketButtons(OnboardingService onboarding, TicketChanges changes, Access access, Background background,
            SlackNotifier notifier, UploadLinks uploads, VerificationService verifications,
            CertificateService certificates, Offboarding offboarding) {
        this.offboarding = offboarding;
        this.onboarding = onboarding;
        this.changes = changes;
        this.access = access;
        this.background = background;
        this.notifier = notifier;
        this.uploads = uploads;
        this.verifications = verifications;
        this.certificates = certificates;
    }

    @FunctionalInterface
    private interface Action {
        void run(Click click, Ticket ticket);
    }

    void register(App app) {
        app.blockAction(SlackIds.ACTION_EDIT, (req, ctx) -> handle(req, ctx, "open the details form", this::edit));
        app.blockAction(SlackIds.ACTION_CLOSE, (req, ctx) -> handle(req, ctx, "close the ticket",
                (click, ticket) -> offboarding.close(ticket.id(), click.userId())));
        app.blockAction(SlackIds.ACTION_OFFBOARD, (req, ctx) -> handle(req, ctx, "open the offboarding form",
                this::offboard));
        app.blockAction(SlackIds.ACTION_UPLOAD_LINK, (req, ctx) -> handle(req, ctx, "create an upload link",
                this::uploadLink));
        app.blockAction(SlackIds.ACTION_VERIFY, (req, ctx) -> handle(req, ctx, "start a verification", this::verify));
        app.blockAction(SlackIds.ACTION_CONFIRM_ACCESS, (req, ctx) -> handle(req, ctx, "record the confirmation",
                (click, ticket) -> onboarding.confirmAccess(ticket.id(), click.userId())));
        app.blockAction(SlackIds.ACTION_CREATE_CERTIFICATE, (req, ctx) -> handle(req, ctx,
                "create the certificate", this::createCertificate));
    }

    /** Who clicked which ticket's button, from where. */
    private record Click(Access.Actor actor, long ticketId, String triggerId) {
        static Click of(BlockActionRequest req, ActionContext ctx) {
            var p = req.getPayload();
            String team = p.getTeam() != null ? p.getTeam().getId() : ctx.getTeamId();
            String enterprise = p.getEnterprise() != null ? p.getEnterprise().getId() : ctx.getEnterpriseId();
            String channel = p.getChannel() != null ? p.getChannel().getId() : null;
            String value = p.getActions() == null || p.getActions().isEmpty() ? null : p.getActions().get(0).getValue();
            return new Click(new Access.Actor(p.getUser().getId(), p.getUser().getTeamId(), team, enterprise, channel),
                    Ticket.parseKey(value), p.getTriggerId());
        }

        String userId() {
            return actor.userId();
        }

        String channelId() {
            return actor.channelId();
        }
    }

    private Response handle(BlockActionRequest req, ActionContext ctx, String what, Action action) {
        Click click = Click.of(req, ctx);
        Optional<Ticket> found = click.ticketId() < 0 ? Optional.empty() : onboarding.find(click.ticketId());
        String refusal = found.isEmpty() ? access.refusal(click.actor()) : access.refusal(click.actor(), found.get());
        if (refusal == null && found.isEmpty()) {
            refusal = "Sorry, I could not " + what + ": that button names no ticket of this channel.";
        }
        if (refusal != null) {
            background.tellLater(click.channelId(), click.userId(), refusal);
            return ctx.ack();
        }
        try {
            action.run(click, found.get());
        } catch (TicketClosedException e) {
            background.tellLater(click.channelId(), click.userId(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not {} for {}: {}", what, found.get().key(), e.toString());
            background.tellLater(click.channelId(), click.userId(), "Sorry, I could not " + what + " for "
                    + found.get().key() + ": " + e.getMessage());
        }
        return ctx.ack();
    }

    private void edit(Click click, Ticket ticket) {
        if (!ticket.isOpen()) {
            background.tellLater(click.channelId(), click.userId(), ticket.key() + " is "
                    + ticket.lifecycle().label() + "; its details can no longer change.");
            return;
        }
        background.run("open the details form", click.channelId(), click.userId(),
                () -> notifier.openView(click.triggerId(), TicketModal.edit(ticket)));
    }

    /** Admins only; the form names the customer and asks before anything is destroyed. */
    private void offboard(Click click, Ticket ticket) {
        if (!access.isAdmin(click.userId())) {
            background.tellLater(click.channelId(), click.userId(), "Offboarding destroys " + ticket.key()
                    + "'s stored key and certificate keys, so only asc-onboard's admins may do it: ask "
                    + access.adminMentions() + ".");
            return;
        }
        if (!ticket.isActive()) {
            background.tellLater(click.channelId(), click.userId(), ticket.key() + " is " + ticket.lifecycle().label()
                    + ": only an active account is offboarded.");
            return;
        }
        background.run("open the offboarding form", click.channelId(), click.userId(),
                () -> notifier.openView(click.triggerId(), OffboardDialog.confirmation(ticket,
                        notifier.clock().instant())));
    }

    private void verify(Click click, Ticket ticket) {
        changes.apply(ticket.id(), locked -> {
            switch (verifications.start(locked, click.userId())) {
                case STARTED -> {
                    // the status message shows "verifying…", the thread gets the report
                }
                case ALREADY_RUNNING -> changes.reply(locked, click.userId(), locked.key()
                        + " is already being verified; the result will appear in its thread.");
                case NOT_READY -> changes.reply(locked, click.userId(), locked.key() + " cannot be verified yet: it "
                        + VerificationService.missing(locked).orElse("is not ready") + ".");
                case CLOSED -> changes.reply(locked, click.userId(), locked.key() + " is " + locked.lifecycle().label() + ".");
            }
            return null;
        });
    }

    private void createCertificate(Click click, Ticket ticket) {
        if (!access.isAdmin(click.userId())) {
            background.tellLaterMrkdwn(click.channelId(), click.userId(), "Creating the vendor's distribution "
                    + "certificate takes one of the customer's 3 slots, so only asc-onboard's admins may do it: ask "
                    + access.adminMentions() + " to press Create certificate on " + ticket.key() + ".");
            return;
        }
        changes.apply(ticket.id(), locked -> {
            String user = click.userId();
            switch (certificates.request(locked, user)) {
                case STARTED -> changes.reply(locked, user, "Creating the vendor's distribution certificate for "
                        + locked.key() + "; the result will appear in its thread.");
                case ALREADY_RUNNING -> changes.reply(locked, user, "The certificate for " + locked.key()
                        + " is already being created.");
                case ALREADY_HAS -> changes.reply(locked, user, locked.key() + " already has a valid distribution "
                        + "certificate (serial " + locked.certificate().serial() + ", expires "
                        + StatusMessage.DAY.format(locked.certificate().expiresAt()) + "); no second one is created.");
                case NOT_READY -> changes.reply(locked, user, locked.key() + " cannot create a certificate yet: it "
                        + VerificationService.missing(locked).orElse("is not ready") + ".");
                case CLOSED -> changes.reply(locked, user, locked.key() + " is " + locked.lifecycle().label() + ".");
            }
            return null;
        });
    }

    /**
     * The link goes only to the engineer who asked (through the outbox, sealed until shown); the thread records
     * that it exists, never the link. Replacing a key Apple already verified is for admins.
     */
    private void uploadLink(Click click, Ticket ticket) {
        if (keyVerified(ticket) && !access.isAdmin(click.userId())) {
            background.tellLaterMrkdwn(click.channelId(), click.userId(), ticket.key() + " already has a key that "
                    + "Apple verified; a new upload link would let it be replaced, so only asc-onboard's admins may "
                    + "create one: ask " + access.adminMentions() + ".");
            return;
        }
        changes.apply(ticket.id(), locked -> uploads.issue(locked, click.userId()));
    }

    private static boolean keyVerified(Ticket ticket) {
        var report = ticket.verification().report();
        return ticket.hasKey() && report != null && report.verified();
    }
}
