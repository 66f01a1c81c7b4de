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
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a reverse proxy every request comes from the proxy's address: one client sending junk must not
 * lock out the customers behind the same proxy, and a forged {@code X-Forwarded-For} must not let anyone
 * choose the address they are counted (and recorded) under.
 */
class ProxiedUploadsTest {
    static final String ABUSER = "203.0.113.7";
    static final String CUSTOMER = "198.51.100.9";
    static final byte[] JUNK = "junk".getBytes(StandardCharsets.UTF_8);
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;
    final UploadClient browser = new UploadClient();

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] validKey() {
        return TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    AscOnboard start(FakeSlack slack, String trustedProxies) {
        Map<String, String> env = TestBot.environment(slack, dir);
        if (trustedProxies != null) {
            env.put("TRUSTED_PROXIES", trustedProxies);
        }
        return TestBot.start(env, MutableClock.startingNow());
    }

    /** Fifty refused uploads to tokens that name no link, then the fifty-first is held back. */
    void sendJunkUntilHeldBack(String base, String... forwardedFor) {
        for (int i = 0; i < 50; i++) {
            String address = forwardedFor[i % forwardedFor.length];
            assertThat(browser.upload(base + randomToken(), "AuthKey_X.p8", JUNK, from(address)).status())
                    .isEqualTo(404);
        }
        UploadClient.Answer held = browser.upload(base + randomToken(), "AuthKey_X.p8", JUNK,
                from(forwardedFor[0]));
        assertThat(held.status()).isEqualTo(429);
    }

    @Test
    void fifty_junk_posts_from_one_proxied_client_do_not_lock_out_customers_behind_the_same_proxy() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = start(slack, "127.0.0.1")) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port()));
            TicketDriver.Opened first = driver.open("Proxied One", "Team", "TEAM123456", null, "PROXY00001");
            TicketDriver.Opened second = driver.open("Proxied Two", "Team", "TEAM123456", null, "PROXY00002");
            String firstLink = driver.uploadLink(first);
            String secondLink = driver.uploadLink(second);
            String base = "http://127.0.0.1:" + bot.port() + "/upload/";

            sendJunkUntilHeldBack(base, ABUSER);

            assertThat(browser.upload(firstLink, "AuthKey_PROXY00001.p8", validKey(), from(CUSTOMER)).status())
                    .as("a customer elsewhere behind the proxy").isEqualTo(200);
            assertThat(browser.upload(secondLink, "AuthKey_PROXY00002.p8", validKey(), from(ABUSER)).status())
                    .as("a customer sharing the abuser's address, holding a valid link").isEqualTo(200);
            assertThat(driver.reply(first, "through the secure link").param("text"))
                    .as("the audit names the client, not the proxy").contains("from " + CUSTOMER);
        }
    }

    @Test
    void without_trusted_proxies_a_spoofed_forwarded_for_changes_nothing() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = start(slack, null)) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port()));
            TicketDriver.Opened ticket = driver.open("Spoofed Ltd", "Team", "TEAM123456", null, "SPOOF00001");
            String link = driver.uploadLink(ticket);
            String base = "http://127.0.0.1:" + bot.port() + "/upload/";

            // A fresh forged address on every post: all are counted against the connection's own address.
            String[] forged = new String[50];
            for (int i = 0; i < forged.length; i++) {
                forged[i] = "192.0.2." + (i + 1);
            }
            sendJunkUntilHeldBack(base, forged);
            assertThat(browser.upload(base + randomToken(), "AuthKey_X.p8", JUNK, from("192.0.2.200")).status())
                    .as("a new forged address does not reset the count").isEqualTo(429);

            assertThat(browser.upload(link, "AuthKey_SPOOF00001.p8", validKey(), from(CUSTOMER)).status())
                    .isEqualTo(200);
            assertThat(driver.reply(ticket, "through the secure link").param("text"))
                    .contains("from 127.0.0.1").doesNotContain(CUSTOMER);
        }
    }
}
