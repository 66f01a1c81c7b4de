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
            • `/asc-onboard list` — onboarding and active accounts of this channel, newest first, with their owners (`list all`: every channel, for admins)
            • `/asc-onboard status ASC-<n>` — where a ticket stands
            • `/asc-onboard help` — this help
            The bot's *Home* tab shows the accounts of your channels at a glance: those needing attention first.""";

    private final OnboardingService onboarding;
    private final Access access;
    private final Background background;
    private final SlackNotifier notifier;

    OnboardCommand(OnboardingService onboarding, Access access, Background background, SlackNotifier notifier) {
        this.onboarding = onboarding;
        this.access = access;
        this.background = background;
        this.notifier = notifier;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        var p = req.getPayload();
        Access.Actor actor = new Access.Actor(p.getUserId(), null, p.getTeamId(), p.getEnterpriseId(),
                p.getChannelId());
        String refusal = access.refusal(actor);
        if (refusal != null) {
            return reply(ctx, refusal);
        }
        String text = p.getText() == null ? "" : p.getText().strip();
        String[] words = text.split("\\s+", 2);
        String sub = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].strip() : "";
        return switch (sub) {
            case "", "new" -> openModal(p.getTriggerId(), p.getChannelId(), p.getUserId(), ctx);
            case "help" -> reply(ctx, HELP);
            case "list" -> reply(ctx, list(actor, rest));
            case "status" -> reply(ctx, status(actor, rest));
            default -> reply(ctx, "I don't know `" + Mrkdwn.escape(shorten(words[0])) + "`.\n" + HELP);
        };
    }

    private Response openModal(String triggerId, String channelId, String userId, SlashCommandContext ctx) {
        background.run("open the New onboarding form", channelId, userId,
                () -> notifier.openView(triggerId, TicketModal.newOnboarding(channelId)));
        return ctx.ack();
    }

    /** This channel's open tickets; with {@code all}, every channel's, for admins. */
    private String list(Access.Actor actor, String argument) {
        boolean all = "all".equalsIgnoreCase(argument);
        if (all && !access.isAdmin(actor.userId())) {
            return "Only asc-onboard's admins may list every channel's tickets; `/asc-onboard list` shows this "
                    + "channel's.";
        }
        if (!all && !argument.isEmpty()) {
            return "Usage: `/asc-onboard list` (this channel) or `/asc-onboard list all` (every channel, admins).";
        }
        String channel = all ? null : actor.channelId();
        List<Ticket> open = onboarding.openTickets(actor.teamId(), channel);
        if (open.isEmpty()) {
            return (all ? "No onboarding or active accounts." : "No onboarding or active accounts in this channel.")
                    + " Start one with `/asc-onboard`.";
        }
        int total = onboarding.countOpen(actor.teamId(), channel);
        StringBuilder text = new StringBuilder("*Open tickets" + (all ? "" : " in this channel") + "* ("
                + total + ", newest first)\n");
        for (Ticket t : open) {
            text.append("• *").append(t.key()).append("* · ").append(Mrkdwn.escape(t.details().customer()))
                    .append(" — ").append(t.isActive() ? "active"
                            : Progress.of(t, notifier.clock().instant()).done() + "/5 steps done")
                    .append(" · owner ").append(Mrkdwn.user(t.owner()));
            if (all) {
                text.append(" · ").append(Mrkdwn.channel(t.channelId()));
            }
            text.append('\n');
        }
        if (total > open.size()) {
            text.append("…and ").append(total - open.size()).append(" older; ask for one with `/asc-onboard status ASC-<n>`.");
        }
        return text.toString().stripTrailing();
    }

    /** One ticket of this channel (any channel's, for admins); another channel's is "not found", as if absent. */
    private String status(Access.Actor actor, String argument) {
        long id = Ticket.parseKey(argument);
        if (id < 0) {
            return argument.isEmpty()
                    ? "Which ticket? Usage: `/asc-onboard status ASC-<n>`, e.g. `/asc-onboard status ASC-12`."
                    : "`" + Mrkdwn.escape(shorten(argument)) + "` is not a ticket number. Usage: `/asc-onboard status ASC-<n>`.";
        }
        try {
            Ticket t = onboarding.get(actor.teamId(), id);
            if (!t.channelId().equals(actor.channelId()) && !access.isAdmin(actor.userId())) {
                throw new TicketNotFoundException(id);
            }
            Progress progress = Progress.of(t, notifier.clock().instant());
            StringBuilder text = new StringBuilder();
            text.append("*").append(t.key()).append(" · ").append(Mrkdwn.escape(t.details().customer())).append("*")
                    .append(t.isOpen() ? " — " + t.lifecycle().label() + " · owner " + Mrkdwn.user(t.owner())
                            : " — " + t.lifecycle().label() + " by " + Mrkdwn.user(t.closedBy())).append(" · ")
                    .append(Mrkdwn.channel(t.channelId())).append('\n')
                    .append(StatusMessage.stepsText(progress)).append('\n')
                    .append("*Verification:* ").append(Mrkdwn.escape(progress.verification()))
                    .append("   *Certificate:* ").append(Mrkdwn.escape(progress.certificate())).append('\n');
            text.append("*Last check:* ").append(t.watchedAt() == null ? "not checked by the watcher yet"
                    : StatusMessage.DAY.format(t.watchedAt()) + " — " + Mrkdwn.escape(t.watchResult())).append('\n');
            List<TicketEvent> history = onboarding.history(id);
            text.append("*Latest events*\n");
            for (TicketEvent e : history.subList(Math.max(0, history.size() - 5), history.size())) {
                text.append("• ").append(StatusMessage.DAY.format(e.at())).append(' ').append(SlackNotifier.eventText(e))
                        .append('\n');
            }
            return text.toString().stripTrailing();
        } catch (TicketNotFoundException e) {
            return Access.NOT_FOUND.formatted(Ticket.PREFIX + id);
        }
    }

    private static Response reply(SlashCommandContext ctx, String text) {
        return ctx.ack(r -> r.responseType("ephemeral").text(text));
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
