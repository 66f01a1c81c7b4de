package com.asconboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walks a ticket through Slack as an engineer would: open it, ask for its upload link. */
public final class TicketDriver {
    private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/upload/[A-Za-z0-9_-]{43}");

    /** A ticket as the channel sees it: its number and its status message. */
    public record Opened(String number, String ts) {
        public String key() {
            return "ASC-" + number;
        }
    }

    private final FakeSlack slack;
    private final SlackRequests requests;

    public TicketDriver(FakeSlack slack, SlackRequests requests) {
        this.slack = slack;
        this.requests = requests;
    }

    /** Submits the New onboarding form and waits for the status message and its first thread reply. */
    public Opened open(String customer, String teamName, String teamId, String issuerId, String keyId) {
        requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form(customer, teamName, teamId, issuerId, keyId));
        String shown = customer.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        FakeSlack.Call status = slack.await("chat.postMessage", c -> c.param("thread_ts") == null
                && c.param("text") != null && c.param("text").contains(" · " + shown + " — "));
        String number = status.param("text").replaceAll("^ASC-(\\d+).*", "$1");
        String ts = slack.await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("opened ASC-" + number + " ")).param("thread_ts");
        return new Opened(number, ts);
    }

    /** Clicks Upload link and returns the URL the engineer was shown. Safe to use from several threads. */
    public String uploadLink(Opened ticket) {
        String forThisTicket = "Secure upload link for " + ticket.key() + " ·";
        int before = (int) slack.calls("chat.postEphemeral").stream()
                .filter(c -> c.param("text").contains(forThisTicket)).count();
        int recorded = linkRecords(ticket);
        requests.click("ticket_upload_link", ticket.number(), ticket.ts());
        FakeSlack.Call answer = slack.await("chat.postEphemeral", before + 1,
                c -> c.param("text").contains(forThisTicket)).get(before);
        Matcher m = LINK.matcher(answer.param("text"));
        assertThat(m.find()).as("the answer holds the link: " + answer.param("text")).isTrue();
        // The thread's record of the link arrives through the outbox; wait so later assertions start clean.
        slack.await("chat.postMessage", recorded + 1, c -> isLinkRecord(ticket, c));
        return m.group();
    }

    private int linkRecords(Opened ticket) {
        return (int) slack.calls("chat.postMessage").stream().filter(c -> isLinkRecord(ticket, c)).count();
    }

    private static boolean isLinkRecord(Opened ticket, FakeSlack.Call call) {
        return ticket.ts().equals(call.param("thread_ts")) && call.param("text").contains("created an upload link");
    }

    /** The latest thread reply of the ticket containing {@code text}, waiting for it. */
    public FakeSlack.Call reply(Opened ticket, String text) {
        return slack.await("chat.postMessage", c -> ticket.ts().equals(c.param("thread_ts"))
                && c.param("text").contains(text));
    }

    /** Waits until {@code count} replies in the ticket's thread contain {@code text}; returns them. */
    public java.util.List<FakeSlack.Call> replies(Opened ticket, String text, int count) {
        return slack.await("chat.postMessage", count, c -> ticket.ts().equals(c.param("thread_ts"))
                && c.param("text").contains(text));
    }

    /** The latest update of the ticket's status message whose blocks contain {@code text}, waiting for it. */
    public FakeSlack.Call update(Opened ticket, String text) {
        return slack.await("chat.update", c -> ticket.ts().equals(c.param("ts")) && c.param("blocks").contains(text));
    }
}
