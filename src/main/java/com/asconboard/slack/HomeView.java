package com.asconboard.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.view;

import com.asconboard.ticket.Fleet;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.VendorCertificate;
import com.asconboard.ticket.Waiting;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The bot's Home tab: counts, then the accounts needing attention, the onboardings in progress and the active
 * accounts, each linking to its ticket's message. Each section shows at most {@value #SECTION_CAP} and says how
 * many more there are (a view holds at most 100 blocks).
 */
final class HomeView {
    static final int SECTION_CAP = 15;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private HomeView() {
    }

    /** The view of {@code overview}; {@code workspaceUrl} (https://…slack.com/) starts the links, none when null. */
    static View of(Fleet.Overview overview, String workspaceUrl, boolean everyChannel) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(everyChannel ? "Customer accounts — every channel"
                : "Customer accounts in your channels"))));
        blocks.add(context(c -> c.elements(List.of(markdownText("*" + overview.onboarding() + "* onboarding · *"
                + overview.activeCount() + "* active · *" + overview.attention().size() + "* need attention")))));
        if (overview.onboarding() + overview.activeCount() == 0) {
            blocks.add(section(s -> s.text(markdownText(everyChannel ? "No accounts yet. Start one with `/asc-onboard` "
                    + "in a channel." : "No accounts in the channels you are a member of. Start one with "
                    + "`/asc-onboard` in a channel."))));
            return home(blocks);
        }
        addSection(blocks, "⚠️ Needs attention", overview.attention(), e -> "• " + String.join("\n• ",
                e.problems().stream().map(Mrkdwn::escape).toList()) + "\nowner " + Mrkdwn.user(e.ticket().owner()),
                workspaceUrl);
        addSection(blocks, "⏳ Onboarding in progress", overview.inProgress(), HomeView::waiting, workspaceUrl);
        addSection(blocks, "🟢 Active accounts", overview.active(), HomeView::active, workspaceUrl);
        return home(blocks);
    }

    /** A view that only says something, e.g. why the user sees no accounts. */
    static View notice(String text) {
        return home(List.of(section(s -> s.text(markdownText(Mrkdwn.escape(text))))));
    }

    private static View home(List<LayoutBlock> blocks) {
        return view(v -> v.type("home").blocks(blocks));
    }

    private static void addSection(List<LayoutBlock> blocks, String title, List<Fleet.Entry> entries,
            java.util.function.Function<Fleet.Entry, String> body, String workspaceUrl) {
        if (entries.isEmpty()) {
            return;
        }
        blocks.add(divider());
        blocks.add(header(h -> h.text(plainText(title + " (" + entries.size() + ")"))));
        for (Fleet.Entry entry : entries.subList(0, Math.min(SECTION_CAP, entries.size()))) {
            String text = name(entry.ticket(), workspaceUrl) + "\n" + body.apply(entry);
            blocks.add(section(s -> s.text(markdownText(text.length() > 2900 ? text.substring(0, 2899) + "…"
                    : text))));
        }
        if (entries.size() > SECTION_CAP) {
            int more = entries.size() - SECTION_CAP;
            blocks.add(context(c -> c.elements(List.of(markdownText("…and " + more + " more: `/asc-onboard list` in "
                    + "their channels shows them.")))));
        }
    }

    /** The ticket's number and customer, linking to its status message when it has one. */
    private static String name(Ticket ticket, String workspaceUrl) {
        String label = ticket.key() + " · " + Mrkdwn.escape(ticket.details().customer())
                + (ticket.isActive() ? "" : " (onboarding)");
        String link = permalink(workspaceUrl, ticket.channelId(), ticket.messageTs());
        return link == null ? "*" + label + "*" : "*<" + link + "|" + label + ">*";
    }

    private static String waiting(Fleet.Entry entry) {
        Waiting waiting = entry.waiting();
        return "waiting on " + waiting.on().words() + (waiting.since() == null ? "" : " since "
                + DAY.format(waiting.since())) + ": " + Mrkdwn.escape(waiting.what()) + " · owner "
                + Mrkdwn.user(entry.ticket().owner());
    }

    private static String active(Fleet.Entry entry) {
        Ticket ticket = entry.ticket();
        VendorCertificate cert = ticket.certificate();
        return (cert == null ? "no vendor certificate" : "certificate expires " + DAY.format(cert.expiresAt()))
                + " · " + (ticket.watchedAt() == null ? "not checked yet" : "checked " + DAY.format(ticket.watchedAt())
                        + (ticket.watchResult() == null ? "" : ": " + Mrkdwn.escape(ticket.watchResult())))
                + " · owner " + Mrkdwn.user(ticket.owner());
    }

    /** The message's address, as chat.getPermalink gives it: {@code <workspace>/archives/<channel>/p<ts digits>}. */
    static String permalink(String workspaceUrl, String channelId, String messageTs) {
        if (workspaceUrl == null || messageTs == null || !workspaceUrl.startsWith("https://")) {
            return null;
        }
        return (workspaceUrl.endsWith("/") ? workspaceUrl : workspaceUrl + "/") + "archives/" + channelId + "/p"
                + messageTs.replace(".", "");
    }
}
