package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code PUBLIC_BASE_URL} that spells out its scheme's default port ({@code :443} for https, {@code :80} for
 * http on this machine) names the same origin as one without it: a browser's {@code Origin} header never carries
 * a default port, so the page's own form is accepted; another scheme or port is still another site.
 */
class UploadOriginPortsTest {
    static final Pattern TOKEN = Pattern.compile("/upload/([A-Za-z0-9_-]{43})");
    static final byte[] JUNK = "nonsense".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    final UploadClient browser = new UploadClient();

    /** Status of a junk upload with this {@code Origin}: 400 (read, and refused as no key) or 403 (cross-site). */
    int statusFrom(String url, String origin) {
        return browser.upload(url, "key.p8", JUNK, Map.of("Origin", origin)).status();
    }

    /** Opens a ticket and gives its upload link as the proxy would pass it on to the bot. */
    static String link(AscOnboard bot, FakeSlack slack, String customer) {
        SlackRequests requests = new SlackRequests(bot.port());
        TicketDriver.Opened ticket = new TicketDriver(slack, requests).open(customer, "Team", "TEAM123456", null, null);
        requests.click("ticket_upload_link", ticket.number(), ticket.ts());
        FakeSlack.Call answer = slack.await("chat.postEphemeral",
                c -> c.param("text").contains("Secure upload link for " + ticket.key() + " ·"));
        Matcher m = TOKEN.matcher(answer.param("text"));
        assertThat(m.find()).as(answer.param("text")).isTrue();
        return "http://127.0.0.1:" + bot.port() + "/upload/" + m.group(1);
    }

    static AscOnboard start(FakeSlack slack, Path dir, String publicBase) {
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("PUBLIC_BASE_URL", publicBase);
        return TestBot.start(env, MutableClock.startingNow());
    }

    @Test
    void https_with_port_443_spelled_out_accepts_the_origin_without_it() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = start(slack, dir, "https://upload.example:443")) {
            String url = link(bot, slack, "Port 443 Ltd");

            assertThat(statusFrom(url, "https://upload.example")).as("the public origin").isEqualTo(400);
            assertThat(statusFrom(url, "https://upload.example:443")).as("not what a browser sends").isEqualTo(403);
            assertThat(statusFrom(url, "http://upload.example")).as("another scheme").isEqualTo(403);
            assertThat(statusFrom(url, "https://upload.example:8443")).as("another port").isEqualTo(403);
        }
    }

    @Test
    void http_with_port_80_spelled_out_accepts_the_origin_without_it() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = start(slack, dir, "http://localhost:80")) {
            String url = link(bot, slack, "Port 80 Ltd");

            assertThat(statusFrom(url, "http://localhost")).as("the public origin").isEqualTo(400);
            assertThat(statusFrom(url, "http://localhost:80")).as("not what a browser sends").isEqualTo(403);
            assertThat(statusFrom(url, "https://localhost")).as("another scheme").isEqualTo(403);
        }
    }

    @Test
    void http_on_port_443_is_not_the_https_default() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = start(slack, dir, "http://localhost:443")) {
            String url = link(bot, slack, "Odd Port Ltd");

            assertThat(statusFrom(url, "http://localhost:443")).as("the public origin").isEqualTo(400);
            assertThat(statusFrom(url, "http://localhost")).as("port 80").isEqualTo(403);
        }
    }
}
