package com.asconboard.slack;

import com.asconboard.certs.CertificateService;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.IssuedLink;
import com.asconboard.upload.UploadLinks;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import java.util.function.Consumer;

/** The buttons of a status message. Each acks at once; its work runs in the background. */
final class TicketButtons {
    private final OnboardingService onboarding;
    private final AccessPolicy access;
    private final Background background;
    private final SlackNotifier notifier;
    private final UploadLinks uploads;
    private final VerificationService verifications;
    private final CertificateService certificates;
    private final String vendorName;

    TicketButtons(OnboardingService onboarding, AccessPolicy access, Background background, SlackNotifier notifier,
            UploadLinks uploads, VerificationService verifications, CertificateService certificates, String vendorName) {
        this.certificates = certificates;
        this.verifications = verifications;
        this.onboarding = onboarding;
        this.uploads = uploads;
        this.vendorName = vendorName;
        this.access = access;
        this.background = background;
        this.notifier = notifier;
    }

    void register(App app) {
        app.blockAction(SlackIds.ACTION_EDIT, (req, ctx) -> handle(req, ctx, "open the details form", this::edit));
        app.blockAction(SlackIds.ACTION_CLOSE, (req, ctx) -> handle(req, ctx, "close the ticket",
                (click) -> onboarding.close(click.workspaceId, click.ticketId, click.userId)));
        app.blockAction(SlackIds.ACTION_UPLOAD_LINK, (req, ctx) -> handle(req, ctx, "create an upload link",
                this::uploadLink));
        app.blockAction(SlackIds.ACTION_VERIFY, (req, ctx) -> handle(req, ctx, "start a verification", this::verify));
        app.blockAction(SlackIds.ACTION_CONFIRM_ACCESS, (req, ctx) -> handle(req, ctx, "record the confirmation",
                click -> onboarding.confirmAccess(click.workspaceId, click.ticketId, click.userId)));
        app.blockAction(SlackIds.ACTION_CREATE_CERTIFICATE, (req, ctx) -> handle(req, ctx,
                "create the certificate", this::createCertificate));
    }

    /** Who clicked which ticket's button, from where. */
    private record Click(String workspaceId, long ticketId, String userId, String channelId, String triggerId) {
        static Click of(BlockActionRequest req, ActionContext ctx) {
            var p = req.getPayload();
            String workspace = p.getTeam() != null ? p.getTeam().getId() : ctx.getTeamId();
            String channel = p.getChannel() != null ? p.getChannel().getId() : null;
            String value = p.getActions() == null || p.getActions().isEmpty() ? null : p.getActions().get(0).getValue();
            return new Click(workspace, Ticket.parseKey(value), p.getUser().getId(), channel, p.getTriggerId());
        }
    }

    private Response handle(BlockActionRequest req, ActionContext ctx, String what, Consumer<Click> work) {
        Click click = Click.of(req, ctx);
        if (!access.allows(click.userId, click.channelId)) {
            background.run("refuse", click.channelId, click.userId,
                    () -> background.tell(click.channelId, click.userId, AccessPolicy.REFUSAL));
            return ctx.ack();
        }
        background.run(what, click.ticketId, click.channelId, click.userId, () -> work.accept(click));
        return ctx.ack();
    }

    private void edit(Click click) {
        Ticket ticket = onboarding.get(click.workspaceId, click.ticketId);
        if (!ticket.isOpen()) {
            background.tell(click.channelId, click.userId, ticket.key() + " is closed; its details can no longer change.");
            return;
        }
        notifier.openView(click.triggerId, TicketModal.edit(ticket));
    }

    private void verify(Click click) {
        Ticket ticket = onboarding.get(click.workspaceId, click.ticketId);
        switch (verifications.start(click.workspaceId, click.ticketId, click.userId)) {
            case STARTED -> {
                // the status message shows "verifying…", the thread gets the report
            }
            case ALREADY_RUNNING -> background.tell(click.channelId, click.userId, ticket.key()
                    + " is already being verified; the result will appear in its thread.");
            case NOT_READY -> background.tell(click.channelId, click.userId, ticket.key() + " cannot be verified yet: it "
                    + VerificationService.missing(ticket).orElse("is not ready") + ".");
            case CLOSED -> background.tell(click.channelId, click.userId, ticket.key() + " is closed.");
        }
    }

    private void createCertificate(Click click) {
        Ticket ticket = onboarding.get(click.workspaceId, click.ticketId);
        switch (certificates.create(click.workspaceId, click.ticketId, click.userId)) {
            case STARTED -> background.tell(click.channelId, click.userId, "Creating the vendor's distribution "
                    + "certificate for " + ticket.key() + "; the result will appear in its thread.");
            case ALREADY_RUNNING -> background.tell(click.channelId, click.userId, "The certificate for "
                    + ticket.key() + " is already being created.");
            case ALREADY_HAS -> background.tell(click.channelId, click.userId, ticket.key() + " already has a valid "
                    + "distribution certificate (serial " + ticket.certificate().serial() + ", expires "
                    + StatusMessage.DAY.format(ticket.certificate().expiresAt()) + "); no second one is created.");
            case NOT_READY -> background.tell(click.channelId, click.userId, ticket.key() + " cannot create a "
                    + "certificate yet: it " + VerificationService.missing(ticket).orElse("is not ready") + ".");
            case CLOSED -> background.tell(click.channelId, click.userId, ticket.key() + " is closed.");
        }
    }

    /** The link goes only to the engineer who asked; the thread records that it exists, never the link. */
    private void uploadLink(Click click) {
        IssuedLink link = uploads.issue(click.workspaceId, click.ticketId, click.userId);
        String expires = UploadLinks.WHEN.format(link.expiresAt());
        String keyFile = "AuthKey_<Key ID>.p8";
        StringBuilder text = new StringBuilder()
                .append(":closed_lock_with_key: *Secure upload link for ").append(link.ticketKey()).append(" · ")
                .append(Mrkdwn.escape(link.customer())).append("* — works once, valid until ").append(expires)
                .append(". Only you can see this message.\n")
                .append("```").append(link.url()).append("```\n")
                .append("Forward to the customer's App Store Connect admin:\n")
                .append("```Please upload your App Store Connect API key file (").append(keyFile)
                .append(": a Team key named \"").append(Mrkdwn.escape(vendorName))
                .append("\" with the App Manager role) at ").append(link.url())
                .append(" — the link works once and expires ").append(expires).append(".```");
        if (link.replacesKey()) {
            text.append("\n:warning: ").append(link.ticketKey())
                    .append(" already has a key: an upload through this link replaces it.");
        }
        text.append("\nAny earlier link for this ticket no longer works.");
        notifier.ephemeral(click.channelId, click.userId, text.toString());
    }

}
