package com.asconboard.slack;

import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Progress;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketNotFoundException;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import java.util.List;
import java.util.Locale;

/** {@code /asc-onboard [new|help|list|status ASC-n]}. Text answers are ephemeral and part of the ack. */
final class OnboardCommand implements SlashCommandHandler {
    static final String HELP = """
            *asc-onboard* runs the App Store Connect access hand-over with a customer.
            • `/asc-onboard` or `/asc-onboard new` — open a new onboarding ticket
            • `/asc-onboard list` — open tickets in this workspace, newest first
            • `/asc-onboard status ASC-<n>` — where a ticket stands
            • `/asc-onboard help` — this help""";

    private final OnboardingService onboarding;
    private final AccessPolicy access;
    private final Background background;
    private final SlackNotifier notifier;

    OnboardCommand(OnboardingService onboarding, AccessPolicy access, Background background, SlackNotifier notifier) {
        this.onboarding = onboarding;
        this.access = access;
        this.background = background;
        this.notifier = notifier;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        var p = req.getPayload();
        if (!access.allows(p.getUserId(), p.getChannelId())) {
            return reply(ctx, AccessPolicy.REFUSAL);
        }
        String text = p.getText() == null ? "" : p.getText().strip();
        String[] words = text.split("\\s+", 2);
        String sub = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].strip() : "";
        return switch (sub) {
            case "", "new" -> openModal(p.getTriggerId(), p.getChannelId(), p.getUserId(), ctx);
            case "help" -> reply(ctx, HELP);
            case "list" -> reply(ctx, list(p.getTeamId()));
            case "status" -> reply(ctx, status(p.getTeamId(), rest));
            default -> reply(ctx, "I don't know `" + Mrkdwn.escape(shorten(words[0])) + "`.\n" + HELP);
        };
    }

    private Response openModal(String triggerId, String channelId, String userId, SlashCommandContext ctx) {
        background.run("open the New onboarding form", channelId, userId,
                () -> notifier.openView(triggerId, TicketModal.newOnboarding(channelId)));
        return ctx.ack();
    }

    private String list(String workspaceId) {
        List<Ticket> open = onboarding.openTickets(workspaceId);
        if (open.isEmpty()) {
            return "No open onboarding tickets. Start one with `/asc-onboard`.";
        }
        int total = onboarding.countOpen(workspaceId);
        StringBuilder text = new StringBuilder("*Open onboarding tickets* (" + total + ", newest first)\n");
        for (Ticket t : open) {
            text.append("• *").append(t.key()).append("* · ").append(Mrkdwn.escape(t.details().customer()))
                    .append(" — ").append(Progress.of(t, notifier.clock().instant()).done()).append("/5 steps done · ")
                    .append(Mrkdwn.channel(t.channelId())).append('\n');
        }
        if (total > open.size()) {
            text.append("…and ").append(total - open.size()).append(" older; ask for one with `/asc-onboard status ASC-<n>`.");
        }
        return text.toString().stripTrailing();
    }

    private String status(String workspaceId, String argument) {
        long id = Ticket.parseKey(argument);
        if (id < 0) {
            return argument.isEmpty()
                    ? "Which ticket? Usage: `/asc-onboard status ASC-<n>`, e.g. `/asc-onboard status ASC-12`."
                    : "`" + Mrkdwn.escape(shorten(argument)) + "` is not a ticket number. Usage: `/asc-onboard status ASC-<n>`.";
        }
        try {
            Ticket t = onboarding.get(workspaceId, id);
            Progress progress = Progress.of(t, notifier.clock().instant());
            StringBuilder text = new StringBuilder();
            text.append("*").append(t.key()).append(" · ").append(Mrkdwn.escape(t.details().customer())).append("*")
                    .append(t.isOpen() ? " — open" : " — closed by " + Mrkdwn.user(t.closedBy())).append(" · ")
                    .append(Mrkdwn.channel(t.channelId())).append('\n')
                    .append(StatusMessage.stepsText(progress)).append('\n')
                    .append("*Verification:* ").append(Mrkdwn.escape(progress.verification()))
                    .append("   *Certificate:* ").append(Mrkdwn.escape(progress.certificate())).append('\n');
            text.append("*Last check:* ").append(t.watchedAt() == null ? "not checked by the watcher yet"
                    : StatusMessage.DAY.format(t.watchedAt()) + " — " + Mrkdwn.escape(t.watchResult())).append('\n');
            List<TicketEvent> history = onboarding.history(workspaceId, id);
            text.append("*Latest events*\n");
            for (TicketEvent e : history.subList(Math.max(0, history.size() - 5), history.size())) {
                text.append("• ").append(StatusMessage.DAY.format(e.at())).append(' ').append(SlackNotifier.eventText(e))
                        .append('\n');
            }
            return text.toString().stripTrailing();
        } catch (TicketNotFoundException e) {
            return e.getMessage() + " See `/asc-onboard list`.";
        }
    }

    private static Response reply(SlashCommandContext ctx, String text) {
        return ctx.ack(r -> r.responseType("ephemeral").text(text));
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
