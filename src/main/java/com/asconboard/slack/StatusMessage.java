package com.asconboard.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.Progress;
import com.asconboard.ticket.Step;
import com.asconboard.ticket.Ticket;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Renders a ticket as its one status message: the five steps, verification, certificate, buttons. */
final class StatusMessage {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private StatusMessage() {
    }

    static String fallbackText(Ticket ticket) {
        return ticket.key() + " · " + Mrkdwn.escape(ticket.details().customer()) + " — " + switch (ticket.lifecycle()) {
            case ONBOARDING -> "onboarding status";
            case ACTIVE -> "active account";
            case OFFBOARDED -> "offboarded";
            case CLOSED -> "onboarding closed";
        };
    }

    static List<LayoutBlock> blocks(Ticket ticket, Instant now) {
        Progress progress = Progress.of(ticket, now);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(title(ticket)))));
        blocks.add(section(s -> s.text(markdownText(stepsText(progress)))));
        blocks.add(context(c -> c.elements(List.of(markdownText(
                "*Verification:* " + Mrkdwn.escape(progress.verification())
                        + "   *Certificate:* " + Mrkdwn.escape(progress.certificate()))))));
        if (ticket.isActive()) {
            blocks.add(section(x -> x.text(markdownText("🟢 *Active* since " + DAY.format(ticket.activatedAt())
                    + ": onboarding complete, the account is watched (key, certificate and expiry, slots, agreements, "
                    + "team)."))));
        }
        if (ticket.isOpen()) {
            blocks.add(actions(a -> a.blockId("ticket_actions").elements(buttons(ticket, progress))));
            blocks.add(context(c -> c.elements(List.of(markdownText(
                    "Opened by " + Mrkdwn.user(ticket.createdBy()) + " on " + DAY.format(ticket.createdAt())
                            + " · owner " + Mrkdwn.user(ticket.owner()))))));
        } else if (ticket.lifecycle() == Lifecycle.OFFBOARDED) {
            blocks.add(context(c -> c.elements(List.of(markdownText(
                    "📦 Offboarded by " + Mrkdwn.user(ticket.closedBy()) + " on " + DAY.format(ticket.closedAt())
                            + ": its stored key and the vendor's certificate keys are destroyed and it is no longer "
                            + "watched. Opened by " + Mrkdwn.user(ticket.createdBy()) + " on "
                            + DAY.format(ticket.createdAt()))))));
        } else {
            blocks.add(context(c -> c.elements(List.of(markdownText(
                    "🔒 Closed by " + Mrkdwn.user(ticket.closedBy()) + " on " + DAY.format(ticket.closedAt())
                            + ". Opened by " + Mrkdwn.user(ticket.createdBy()) + " on "
                            + DAY.format(ticket.createdAt()))))));
        }
        return blocks;
    }

    /** The steps as mrkdwn lines, also used by {@code /asc-onboard status}. */
    static String stepsText(Progress progress) {
        StringBuilder text = new StringBuilder();
        for (Step step : progress.steps()) {
            text.append(step.state().symbol()).append(" *").append(step.number()).append(". ")
                    .append(Mrkdwn.escape(step.title())).append("* — ").append(Mrkdwn.escape(step.reason()))
                    .append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static String title(Ticket ticket) {
        String title = ticket.key() + " · " + ticket.details().customer() + switch (ticket.lifecycle()) {
            case ONBOARDING -> "";
            case ACTIVE -> " (active)";
            case OFFBOARDED -> " (offboarded)";
            case CLOSED -> " (closed)";
        };
        // Header blocks take at most 150 characters of plain text.
        return title.length() > 150 ? title.substring(0, 149) + "…" : title;
    }

    /** Close for an onboarding; Offboard (a confirmation form, for admins) for an active account. */
    private static BlockElement ending(Ticket ticket) {
        String value = Long.toString(ticket.id());
        if (ticket.isActive()) {
            return button(b -> b.actionId(SlackIds.ACTION_OFFBOARD).text(plainText("Offboard")).value(value)
                    .style("danger"));
        }
        return button(b -> b.actionId(SlackIds.ACTION_CLOSE).text(plainText("Close")).value(value).style("danger")
                .confirm(com.slack.api.model.block.composition.BlockCompositions.confirmationDialog(d -> d
                        .title(plainText("Close " + ticket.key() + "?"))
                        .text(plainText("The onboarding is abandoned: the ticket keeps its history, any key it received "
                                + "is destroyed, and it takes no more actions."))
                        .confirm(plainText("Close"))
                        .deny(plainText("Keep open")))));
    }

    private static List<BlockElement> buttons(Ticket ticket, Progress progress) {
        String value = Long.toString(ticket.id());
        List<BlockElement> buttons = new ArrayList<>(List.of(
                button(b -> b.actionId(SlackIds.ACTION_EDIT).text(plainText("Edit details")).value(value)),
                button(b -> b.actionId(SlackIds.ACTION_UPLOAD_LINK).text(plainText("Upload link")).value(value)),
                button(b -> b.actionId(SlackIds.ACTION_VERIFY).text(plainText("Verify now")).value(value)),
                button(b -> b.actionId(SlackIds.ACTION_CREATE_CERTIFICATE).text(plainText("Create certificate"))
                        .value(value)),
                ending(ticket)));
        if (progress.awaitsAccessConfirmation()) {
            buttons.add(1, button(b -> b.actionId(SlackIds.ACTION_CONFIRM_ACCESS)
                    .text(plainText("Confirm access granted")).value(value)));
        }
        return buttons;
    }
}
