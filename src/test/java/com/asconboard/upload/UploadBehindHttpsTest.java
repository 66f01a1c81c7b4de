package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page as customers reach it through a TLS proxy ({@code PUBLIC_BASE_URL=https://…}): every header that
 * keeps it out of frames, indexes and other windows, HSTS, and the form's own origin told from another site's.
 */
class UploadBehindHttpsTest {
    static final String PUBLIC = "https://upload.example";
    static final Pattern LINK = Pattern.compile(Pattern.quote(PUBLIC) + "/upload/([A-Za-z0-9_-]{43})");

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static AscOnboard bot;
    static SlackRequests requests;
    static TicketDriver driver;
    static final UploadClient browser = new UploadClient();

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("PUBLIC_BASE_URL", PUBLIC);
        bot = TestBot.start(env, MutableClock.startingNow());
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
    }

    /** Opens a ticket, clicks Upload link and returns the link as the proxy would pass it on to this instance. */
    static String link(String customer) {
        TicketDriver.Opened ticket = driver.open(customer, "Team", "TEAM123456", null, null);
        String forThisTicket = "Secure upload link for " + ticket.key() + " ·";
        requests.click("ticket_upload_link", ticket.number(), ticket.ts());
        FakeSlack.Call answer = slack.await("chat.postEphemeral", c -> c.param("text").contains(forThisTicket));
        Matcher m = LINK.matcher(answer.param("text"));
        assertThat(m.find()).as(answer.param("text")).isTrue();
        return "http://127.0.0.1:" + bot.port() + "/upload/" + m.group(1);
    }

    @Test
    void every_answer_keeps_the_page_out_of_frames_indexes_and_other_windows_and_asks_for_https() {
        String url = link("Headers Ltd");

        for (UploadClient.Answer answer : java.util.List.of(browser.get(url), browser.get(url + "x"),
                browser.upload(url, "key.p8", "nonsense".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(answer.header("Strict-Transport-Security")).isEqualTo("max-age=31536000");
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(answer.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
            assertThat(answer.header("X-Robots-Tag")).isEqualTo("noindex, nofollow");
            assertThat(answer.header("Vary")).contains("Accept-Language");
            assertThat(answer.header("Content-Language")).isEqualTo("en");
        }
    }

    @Test
    void the_forms_own_origin_is_the_public_one_and_another_scheme_or_port_is_another_site() {
        String url = link("Origins Ltd");
        byte[] junk = "nonsense".getBytes(StandardCharsets.UTF_8);

        UploadClient.Answer other = browser.upload(url, "key.p8", junk, Map.of("Origin", "http://upload.example"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Connection")).isEqualTo("close");
        assertThat(browser.upload(url, "key.p8", junk, Map.of("Origin", PUBLIC + ":8443")).status()).isEqualTo(403);
        assertThat(browser.upload(url, "key.p8", junk, Map.of("Origin", PUBLIC)).status()).as("the public origin")
                .isEqualTo(400);
        assertThat(browser.upload(url, "key.p8", junk, Map.of("Origin", "http://127.0.0.1:" + bot.port())).status())
                .as("this instance's own origin").isEqualTo(400);

        byte[] key = TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
        assertThat(browser.upload(url, "AuthKey_ORIGIN0001.p8", key, Map.of("Origin", PUBLIC)).status())
                .isEqualTo(200);
    }
}
