package com.asconboard.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.checkboxes;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketNotFoundException;
import com.asconboard.ticket.VendorCertificate;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.handler.builtin.ViewSubmissionHandler;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The confirmation an admin sees before offboarding an account: it names the customer, says what is destroyed,
 * and offers — unticked — to revoke the vendor's own certificate. Submitting it offboards the account, the
 * change committed before the ack.
 */
final class OffboardDialog implements ViewSubmissionHandler {
    private static final String REVOKE = "revoke";

    private final OnboardingService onboarding;
    private final Offboarding offboarding;
    private final Access access;

    OffboardDialog(OnboardingService onboarding, Offboarding offboarding, Access access) {
        this.onboarding = onboarding;
        this.offboarding = offboarding;
        this.access = access;
    }

    /** The confirmation for {@code ticket}; the option to revoke appears only while the vendor's certificate holds a slot. */
    static View confirmation(Ticket ticket, Instant now) {
        String customer = Mrkdwn.escape(ticket.details().customer());
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText("*Offboard " + customer + "?*\nThis ends " + ticket.key()
                + ": the stored API key and the vendor's certificate private key are destroyed, the account is no "
                + "longer watched, and the thread lists what " + customer + " should revoke on their side. It "
                + "cannot be undone."))));
        VendorCertificate cert = ticket.certificate();
        if (cert != null && cert.usable(now)) {
            blocks.add(input(i -> i
                    .blockId(SlackIds.OFFBOARD_OPTIONS)
                    .optional(true)
                    .label(plainText("The vendor's certificate"))
                    .element(checkboxes(c -> c.actionId(SlackIds.REVOKE_CERTIFICATE).options(List.of(option(o -> o
                            .value(REVOKE)
                            .text(plainText("Revoke it at Apple (serial " + shorten(cert.serial()) + ")"))
                            .description(plainText("Frees the customer's slot. Only the vendor's own certificate.")))))))));
        }
        return view(v -> v
                .type("modal")
                .callbackId(SlackIds.OFFBOARD)
                .privateMetadata(Long.toString(ticket.id()))
                .title(viewTitle(t -> t.type("plain_text").text(shorten("Offboard " + ticket.key()))))
                .submit(viewSubmit(s -> s.type("plain_text").text("Offboard")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    @Override
    public Response apply(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var payload = req.getPayload();
        String userId = payload.getUser().getId();
        String teamId = payload.getTeam() != null ? payload.getTeam().getId() : ctx.getTeamId();
        String enterpriseId = payload.getEnterprise() != null ? payload.getEnterprise().getId() : ctx.getEnterpriseId();
        Ticket ticket;
        try {
            ticket = onboarding.get(teamId, Ticket.parseKey(payload.getView().getPrivateMetadata()));
        } catch (TicketNotFoundException e) {
            return notice(ctx, e.getMessage());
        }
        String refusal = access.refusal(new Access.Actor(userId, payload.getUser().getTeamId(), teamId, enterpriseId,
                ticket.channelId()), ticket);
        if (refusal == null && !access.isAdmin(userId)) {
            refusal = "Only asc-onboard's admins may offboard an account: ask " + access.adminMentions() + ".";
        }
        if (refusal != null) {
            return notice(ctx, refusal);
        }
        return switch (offboarding.offboard(ticket.id(), userId, revoke(payload.getView()))) {
            case DONE, ALREADY_ENDED -> ctx.ack();
            case WRONG_STAGE -> notice(ctx, ticket.key() + " is still onboarding: Offboard is for active accounts. "
                    + "Close abandons an onboarding and destroys any key it received.");
        };
    }

    private static boolean revoke(View view) {
        if (view.getState() == null || view.getState().getValues() == null) {
            return false;
        }
        Map<String, ViewState.Value> block = view.getState().getValues().get(SlackIds.OFFBOARD_OPTIONS);
        ViewState.Value value = block == null ? null : block.get(SlackIds.REVOKE_CERTIFICATE);
        return value != null && value.getSelectedOptions() != null
                && value.getSelectedOptions().stream().anyMatch(o -> REVOKE.equals(o.getValue()));
    }

    /** Replaces the form with a message saying why nothing was done. */
    private static Response notice(ViewSubmissionContext ctx, String text) {
        View notice = view(v -> v
                .type("modal")
                .title(viewTitle(t -> t.type("plain_text").text("Not offboarded")))
                .close(viewClose(c -> c.type("plain_text").text("Close")))
                .blocks(List.of(section(s -> s.text(markdownText(Mrkdwn.escape(text)))))));
        return ctx.ack(r -> r.responseAction("update").view(notice));
    }

    /** Slack's limits: 24 characters for a modal title, 75 for an option. */
    private static String shorten(String text) {
        return text.length() > 24 ? text.substring(0, 23) + "…" : text;
    }
}
