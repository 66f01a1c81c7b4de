package com.asconboard.slack;

import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Opening;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketDetails;
import com.asconboard.ticket.TicketNotFoundException;
import com.asconboard.ticket.VerificationService;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.handler.builtin.ViewSubmissionHandler;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import java.util.Map;

/**
 * Submissions of the onboarding form. Bad input is answered inline ({@code response_action:
 * errors}); good input closes the form at once and the ticket is saved and shown after the ack.
 */
final class FormSubmission implements ViewSubmissionHandler {
    private final OnboardingService onboarding;
    private final VerificationService verifications;
    private final AccessPolicy access;
    private final Background background;
    private final TicketOpenings openings;
    private final SlackNotifier notifier;

    FormSubmission(OnboardingService onboarding, VerificationService verifications, AccessPolicy access,
            Background background, TicketOpenings openings, SlackNotifier notifier) {
        this.onboarding = onboarding;
        this.verifications = verifications;
        this.access = access;
        this.background = background;
        this.openings = openings;
        this.notifier = notifier;
    }

    /** Only what identifies the account warrants a new verification, not a renamed customer. */
    private static boolean accountChanged(TicketDetails before, TicketDetails after) {
        return !java.util.Objects.equals(before.teamId(), after.teamId())
                || !java.util.Objects.equals(before.teamName(), after.teamName())
                || !java.util.Objects.equals(before.issuerId(), after.issuerId())
                || !java.util.Objects.equals(before.keyId(), after.keyId());
    }

    @Override
    public Response apply(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var payload = req.getPayload();
        var view = payload.getView();
        String userId = payload.getUser().getId();
        String workspaceId = payload.getTeam() != null ? payload.getTeam().getId() : ctx.getTeamId();
        boolean creating = SlackIds.NEW_ONBOARDING.equals(view.getCallbackId());

        DetailsForm.Result form = DetailsForm.check(TicketModal.values(view));
        if (!form.isValid()) {
            return ctx.ackWithErrors(TicketModal.errors(form.errors()));
        }
        if (creating) {
            String channelId = view.getPrivateMetadata();
            if (!access.allows(userId, channelId)) {
                return ctx.ackWithErrors(Map.of(TicketModal.blockId(Field.CUSTOMER), AccessPolicy.REFUSAL));
            }
            openings.open(new Opening(workspaceId, channelId, userId, form.details()));
            return ctx.ack();
        }
        long id = Ticket.parseKey(view.getPrivateMetadata());
        Ticket ticket;
        try {
            ticket = onboarding.get(workspaceId, id);
        } catch (TicketNotFoundException e) {
            return ctx.ackWithErrors(Map.of(TicketModal.blockId(Field.CUSTOMER), e.getMessage()));
        }
        if (!access.allows(userId, ticket.channelId())) {
            return ctx.ackWithErrors(Map.of(TicketModal.blockId(Field.CUSTOMER), AccessPolicy.REFUSAL));
        }
        if (!ticket.isOpen()) {
            return ctx.ackWithErrors(Map.of(TicketModal.blockId(Field.CUSTOMER),
                    ticket.key() + " was closed, so these changes cannot be saved."));
        }
        background.run("save the changes to " + ticket.key(), id, ticket.channelId(), userId, () -> {
            var edited = onboarding.editDetails(workspaceId, id, userId, form.details());
            if (edited.isEmpty()) {
                notifier.ephemeral(ticket.channelId(), userId, "Nothing changed on " + ticket.key() + ".");
            } else if (accountChanged(ticket.details(), form.details())) {
                verifications.startIfReady(id, userId);
            }
        });
        return ctx.ack();
    }
}
