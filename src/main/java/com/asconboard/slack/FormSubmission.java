package com.asconboard.slack;

import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketNotFoundException;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.handler.builtin.ViewSubmissionHandler;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import java.util.Map;

/**
 * Submissions of the onboarding form. Bad input is answered inline ({@code response_action: errors}); good
 * input is saved — the ticket, its event and its messages in one short transaction — before the ack closes
 * the form, so nothing the user submitted exists only in memory.
 */
final class FormSubmission implements ViewSubmissionHandler {
    private final OnboardingService onboarding;
    private final Access access;

    FormSubmission(OnboardingService onboarding, Access access) {
        this.onboarding = onboarding;
        this.access = access;
    }

    @Override
    public Response apply(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var payload = req.getPayload();
        var view = payload.getView();
        String userId = payload.getUser().getId();
        String teamId = payload.getTeam() != null ? payload.getTeam().getId() : ctx.getTeamId();
        String enterpriseId = payload.getEnterprise() != null ? payload.getEnterprise().getId() : ctx.getEnterpriseId();
        boolean creating = SlackIds.NEW_ONBOARDING.equals(view.getCallbackId());

        DetailsForm.Result form = DetailsForm.check(TicketModal.values(view));
        if (!form.isValid()) {
            return ctx.ackWithErrors(TicketModal.errors(form.errors()));
        }
        if (creating) {
            String channelId = view.getPrivateMetadata();
            String refusal = access.refusal(new Access.Actor(userId, payload.getUser().getTeamId(), teamId,
                    enterpriseId, channelId));
            if (refusal != null) {
                return inline(ctx, refusal);
            }
            try {
                onboarding.open(teamId, channelId, userId, form.details());
            } catch (RuntimeException e) {
                // Nothing was saved: the form stays open with what was typed, so submitting again loses nothing.
                return inline(ctx, "Sorry, the ticket could not be saved (" + e.getMessage() + "). Nothing was "
                        + "created; press Create again in a moment.");
            }
            return ctx.ack();
        }
        TicketModal.Edited edited = TicketModal.Edited.parse(view.getPrivateMetadata());
        Ticket ticket;
        try {
            ticket = onboarding.get(teamId, edited.ticketId());
        } catch (TicketNotFoundException e) {
            return inline(ctx, e.getMessage());
        }
        // An edit form is opened from the ticket's own message, so it is checked against the ticket's channel.
        String refusal = access.refusal(new Access.Actor(userId, payload.getUser().getTeamId(), teamId, enterpriseId,
                ticket.channelId()), ticket);
        if (refusal != null) {
            return inline(ctx, refusal);
        }
        if (edited.version() < 0) {
            return inline(ctx, "This form is out of date. Close it and press Edit details on " + ticket.key()
                    + " again.");
        }
        var result = onboarding.editDetails(ticket.id(), userId, form.details(), TicketModal.owner(view),
                edited.version());
        return switch (result.outcome()) {
            case SAVED, UNCHANGED -> ctx.ack();
            case CLOSED -> inline(ctx, ticket.key() + " was closed, so these changes cannot be saved.");
            case STALE -> inline(ctx, ticket.key() + "'s details were changed by someone else since you opened this "
                    + "form. Close it and press Edit details again to see them; nothing was saved.");
        };
    }

    private static Response inline(ViewSubmissionContext ctx, String message) {
        return ctx.ackWithErrors(Map.of(TicketModal.blockId(Field.CUSTOMER), message));
    }
}
