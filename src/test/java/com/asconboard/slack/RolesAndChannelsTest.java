package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, with ADMIN_USERS set: members of the installing workspace only, a ticket's buttons only
 * from its channel, list and status scoped to the channel, slots and verified keys for admins. A refused
 * action changes nothing and calls no outside system.
 */
class RolesAndChannelsTest {
    static final String ADMIN = "U0ADMIN0001";
    static final String ENGINEER = SlackRequests.USER;
    static final String OTHER_CHANNEL = "C0OTHERCHAN";
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final Gson GSON = new Gson();

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeAsc asc;
    AscOnboard bot;
    SlackRequests requests;
    TicketDriver driver;

    @BeforeEach
    void start() {
        slack = new FakeSlack();
        asc = new FakeAsc();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("ADMIN_USERS", ADMIN);
        env.put("ASC_API_URL", asc.url());
        bot = TestBot.start(env, Clock.systemUTC());
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        asc.close();
        slack.close();
    }

    String status(TicketDriver.Opened ticket) {
        return SlackRequests.text(requests.command("status " + ticket.key()));
    }

    FakeSlack.Call refusalTo(String user) {
        return slack.await("chat.postEphemeral", c -> user.equals(c.param("user")));
    }

    @Test
    void an_external_slack_connect_user_is_refused_politely_and_nothing_changes() {
        TicketDriver.Opened ticket = driver.open("Connect Ltd", null, null, null, null);
        Map<String, Object> click = SlackRequests.clickPayload("ticket_close", ticket.number(), ticket.ts(),
                "U0OUTSIDER1", SlackRequests.CHANNEL);
        click.put("user", Map.of("id", "U0OUTSIDER1", "team_id", "T0ELSEWHERE", "name", "guest"));

        requests.postPayload(GSON.toJson(click));

        assertThat(refusalTo("U0OUTSIDER1").param("text")).contains("only for members of the workspace");
        assertThat(status(ticket)).contains("— onboarding");
    }

    @Test
    void a_command_from_another_workspace_is_refused() {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : SlackRequests.commandBody("list", "U0OUTSIDER1", SlackRequests.CHANNEL).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        form.put("team_id", "T0ELSEWHERE");

        assertThat(SlackRequests.text(requests.postForm(form))).contains("only for members of the workspace");
    }

    @Test
    void a_button_clicked_from_another_channel_acts_on_nothing() {
        TicketDriver.Opened ticket = driver.open("Channel Bound Ltd", null, null, null, null);

        requests.click("ticket_close", ticket.number(), ticket.ts(), ENGINEER, OTHER_CHANNEL);

        assertThat(refusalTo(ENGINEER).param("text")).contains(ticket.key() + " belongs to another channel");
        assertThat(status(ticket)).contains("— onboarding");
    }

    @Test
    void status_of_a_ticket_in_another_channel_is_not_found() {
        TicketDriver.Opened ticket = driver.open("Private Matters Ltd", null, null, null, null);

        String answer = SlackRequests.text(requests.command("status " + ticket.key(), ENGINEER, OTHER_CHANNEL));

        assertThat(answer).contains("There is no ticket " + ticket.key() + " in this channel")
                .doesNotContain("Private Matters");
        assertThat(SlackRequests.text(requests.command("status " + ticket.key(), ADMIN, OTHER_CHANNEL)))
                .as("admins see every channel's tickets").contains("Private Matters Ltd");
    }

    @Test
    void list_shows_this_channels_tickets_and_list_all_is_for_admins() {
        driver.open("Here Ltd", null, null, null, null);
        requests.submitView("new_onboarding", OTHER_CHANNEL, SlackRequests.form("Elsewhere Ltd", null, null, null,
                null));
        slack.await("chat.postMessage", c -> c.param("text").contains("opened ASC-") && c.param("text")
                .contains("Elsewhere Ltd"));

        assertThat(SlackRequests.text(requests.command("list"))).contains("Here Ltd").doesNotContain("Elsewhere");
        assertThat(SlackRequests.text(requests.command("list all"))).contains("Only asc-onboard's admins")
                .doesNotContain("Elsewhere");
        assertThat(SlackRequests.text(requests.command("list all", ADMIN, SlackRequests.CHANNEL)))
                .contains("Here Ltd", "Elsewhere Ltd", "<#" + OTHER_CHANNEL + ">");
    }

    @Test
    void creating_a_certificate_by_hand_is_for_admins_and_a_refusal_calls_nobody() {
        TicketDriver.Opened ticket = driver.open("Slots Ltd", null, null, null, null);
        asc.reset();

        requests.click("ticket_create_certificate", ticket.number(), ticket.ts());

        assertThat(refusalTo(ENGINEER).param("text")).contains("only asc-onboard's admins", "<@" + ADMIN + ">");
        assertThat(asc.requestCount()).isZero();
        requests.click("ticket_create_certificate", ticket.number(), ticket.ts(), ADMIN, SlackRequests.CHANNEL);
        assertThat(refusalTo(ADMIN).param("text")).contains("cannot create a certificate yet");
    }

    /** A ticket whose key Apple verified; the upload comes without a Key ID on the ticket when asked. */
    TicketDriver.Opened verified(String customer, String teamId, String keyId, String issuer) {
        FakeAsc.Account account = asc.addAccount(teamId, customer);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open(customer, customer, teamId, issuer, keyId);
        assertThat(new UploadClient().upload(driver.uploadLink(ticket), "AuthKey_" + keyId + ".p8",
                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        return ticket;
    }

    @Test
    void replacing_a_key_apple_verified_needs_an_admin_and_the_thread_says_who() {
        TicketDriver.Opened ticket = verified("Verified Ltd", "VERIFIED01", "VKEY000001", ISSUER);
        driver.reply(ticket, "✅ verified");
        slack.reset();

        requests.click("ticket_upload_link", ticket.number(), ticket.ts());
        assertThat(refusalTo(ENGINEER).param("text")).contains("already has a key that Apple verified",
                "<@" + ADMIN + ">").doesNotContain("/upload/");

        requests.click("ticket_upload_link", ticket.number(), ticket.ts(), ADMIN, SlackRequests.CHANNEL);
        FakeSlack.Call link = refusalTo(ADMIN);
        assertThat(link.param("text")).contains("/upload/", "replaces it");
        assertThat(driver.reply(ticket, "created an upload link").param("text")).contains("<@" + ADMIN + ">",
                "will replace the key received earlier");
    }

    @Test
    void a_verification_an_engineer_starts_does_not_take_a_slot_by_itself() {
        // The key arrives before the ticket has its Issuer ID: nothing is verified until someone adds it.
        TicketDriver.Opened ticket = verified("Engineer Ltd", "ENGINEER01", "EKEY000001", null);
        driver.reply(ticket, "uploaded AuthKey_EKEY000001.p8");

        requests.submitView("edit_details", ticket.number() + ":0", SlackRequests.form("Engineer Ltd",
                "Engineer Ltd", "ENGINEER01", ISSUER, "EKEY000001"));

        driver.reply(ticket, "✅ verified");
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(asc.requests("/v1/certificates").stream().filter(r -> "POST".equals(r.method()))).isEmpty();
        assertThat(slack.calls("chat.postMessage").stream().filter(c -> c.param("text")
                .contains("created the vendor's distribution certificate"))).isEmpty();
    }
}
