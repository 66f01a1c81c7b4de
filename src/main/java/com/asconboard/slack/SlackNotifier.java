package com.asconboard.slack;

import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.TicketNotifier;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.view.View;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import com.asconboard.upload.UploadLinks;

/** Shows tickets in Slack: one status message per ticket, updated in place, events in its thread. */
public final class SlackNotifier implements TicketNotifier {
    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[UW][A-Z0-9]{2,30}");
    /** Slack's largest page of users.conversations, and how many pages a member's channels may take. */
    static final int CHANNELS_PER_PAGE = 999;
    static final int MAX_CHANNEL_PAGES = 50;

    private final MethodsClient slack;
    private final Clock clock;
    private final String vendorName;

    public SlackNotifier(MethodsClient slack, Clock clock, String vendorName) {
        this.slack = slack;
        this.clock = clock;
        this.vendorName = vendorName;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public String postStatus(Ticket ticket) {
        var response = call("chat.postMessage", () -> slack.chatPostMessage(r -> r
                .channel(ticket.channelId())
                .text(StatusMessage.fallbackText(ticket))
                .blocks(StatusMessage.blocks(ticket, clock.instant()))
                .unfurlLinks(false)
                .unfurlMedia(false)), ticket, true);
        return response.getTs();
    }

    @Override
    public void updateStatus(Ticket ticket) {
        call("chat.update", () -> slack.chatUpdate(r -> r
                .channel(ticket.channelId())
                .ts(ticket.messageTs())
                .text(StatusMessage.fallbackText(ticket))
                .blocks(StatusMessage.blocks(ticket, clock.instant()))), ticket, false);
    }

    @Override
    public void postEvent(Ticket ticket, TicketEvent event) {
        call("chat.postMessage", () -> slack.chatPostMessage(r -> r
                .channel(ticket.channelId())
                .threadTs(ticket.messageTs())
                .text(eventText(event, ticket.owner()))
                .unfurlLinks(false)
                .unfurlMedia(false)), ticket, false);
    }

    @Override
    public void tellPrivately(Ticket ticket, String userId, String text) {
        // A direct message reaches the user even where the bot cannot post in the channel.
        call("chat.postMessage", () -> slack.chatPostMessage(r -> r.channel(userId).text(Mrkdwn.escape(text))),
                ticket, false);
    }

    @Override
    public void reply(Ticket ticket, String userId, String text) {
        ephemeral(ticket.channelId(), userId, Mrkdwn.escape(text));
    }

    @Override
    public void showUploadLink(Ticket ticket, String userId, String url, Instant expiresAt, boolean replacesKey) {
        String expires = UploadLinks.WHEN.format(expiresAt);
        StringBuilder text = new StringBuilder()
                .append(":closed_lock_with_key: *Secure upload link for ").append(ticket.key()).append(" · ")
                .append(Mrkdwn.escape(ticket.details().customer())).append("* — works once, valid until ")
                .append(expires).append(". Only you can see this message.\n")
                .append("```").append(url).append("```\n")
                .append("Forward to the customer's App Store Connect admin:\n")
                .append("```Please upload your App Store Connect API key file (AuthKey_<Key ID>.p8: a Team key named \"")
                .append(Mrkdwn.escape(vendorName)).append("\" with the App Manager role) at ").append(url)
                .append(" — the link works once and expires ").append(expires).append(".```");
        if (replacesKey) {
            text.append("\n:warning: ").append(ticket.key())
                    .append(" already has a key: an upload through this link replaces it.");
        }
        text.append("\nAny earlier link for this ticket no longer works.");
        ephemeral(ticket.channelId(), userId, text.toString());
    }

    /** Sends an ephemeral message to one user in a channel (Slack never unfurls links in those). */
    void ephemeral(String channelId, String userId, String text) {
        call("chat.postEphemeral", () -> slack.chatPostEphemeral(r -> r.channel(channelId).user(userId).text(text)),
                null, false);
    }

    /** Opens a modal for the user whose click or command carried {@code triggerId}. */
    void openView(String triggerId, View view) {
        call("views.open", () -> slack.viewsOpen(r -> r.triggerId(triggerId).view(view)), null, false);
    }

    /** An event as the thread and {@code status} show it, without mentioning anyone it does not name. */
    static String eventText(TicketEvent event) {
        return eventText(event, null);
    }

    /**
     * An event as the thread shows it. A reminder mentions {@code owner} (the ticket's owner when it is
     * delivered); an owner change mentions the new owner, whose user ID is the event's detail.
     */
    static String eventText(TicketEvent event, String owner) {
        String who = switch (event.actor()) {
            case TicketEvent.SYSTEM -> "asc-onboard";
            case TicketEvent.CUSTOMER -> "The customer";
            default -> Mrkdwn.user(event.actor());
        };
        if (event.kind() == TicketEvent.Kind.OWNER_CHANGED && USER_ID.matcher(event.detail()).matches()) {
            return who + " made " + Mrkdwn.user(event.detail()) + " the ticket's owner";
        }
        if (event.kind() == TicketEvent.Kind.REMINDER && owner != null && USER_ID.matcher(owner).matches()) {
            return ":alarm_clock: " + Mrkdwn.user(owner) + " " + Mrkdwn.escape(event.detail());
        }
        return who + " " + Mrkdwn.escape(event.detail());
    }

    /** Publishes the user's Home tab. */
    void publishHome(String userId, View view) {
        call("views.publish", () -> slack.viewsPublish(r -> r.userId(userId).view(view)), null, false);
    }

    /**
     * The public and private channels the user is a member of, as Slack tells the bot now (private ones only
     * where the bot is a member too — as it is wherever it posted a ticket). Nothing is kept beyond the call.
     */
    java.util.Set<String> channelsOf(String userId) {
        java.util.Set<String> channels = new java.util.HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_CHANNEL_PAGES; page++) {
            String from = cursor;
            var answer = call("users.conversations", () -> slack.usersConversations(r -> r
                    .user(userId)
                    .types(java.util.List.of(com.slack.api.model.ConversationType.PUBLIC_CHANNEL,
                            com.slack.api.model.ConversationType.PRIVATE_CHANNEL))
                    .excludeArchived(true)
                    .limit(CHANNELS_PER_PAGE)
                    .cursor(from)), null, false);
            answer.getChannels().forEach(c -> channels.add(c.getId()));
            cursor = answer.getResponseMetadata() == null ? null : answer.getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        return channels;
    }

    @FunctionalInterface
    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private <T extends SlackApiTextResponse> T call(String method, Call<T> call, Ticket ticket, boolean joinOnce) {
        try {
            T response = call.run();
            if (response.isOk()) {
                return response;
            }
            if (joinOnce && "not_in_channel".equals(response.getError()) && join(ticket.channelId())) {
                return call(method, call, ticket, false);
            }
            throw new SlackCallException(method, response.getError(), null);
        } catch (IOException e) {
            throw new SlackCallException(method, "network error (" + e.getClass().getSimpleName() + ")", true, null, e);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            throw new SlackCallException(method, "HTTP " + status, status == 429 || status >= 500,
                    retryAfter(e.getResponse().header("Retry-After")), e);
        }
    }

    private static Duration retryAfter(String header) {
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Public channels can be joined without an invitation; private ones cannot. */
    private boolean join(String channelId) {
        try {
            return slack.conversationsJoin(r -> r.channel(channelId)).isOk();
        } catch (IOException | SlackApiException e) {
            return false;
        }
    }
}
