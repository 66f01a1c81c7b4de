package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.SlackRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drives the real HTTP server with Slack-signed requests and watches what the fake Slack is told. */
class OnboardingFlowTest {
    @RegisterExtension
    static final RunningBot app = new RunningBot().onSystemClock();

    @BeforeEach
    void clearCalls() {
        app.slack().reset();
    }

    /** Creates a ticket through the form and returns the status message call. */
    static FakeSlack.Call createTicket(String customer) {
        HttpResponse<String> response = app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form(customer, "Acme Inc.", "a1b2c3d4e5", null, null));
        assertThat(response.statusCode()).isEqualTo(200);
        return app.slack().await("chat.postMessage", c -> c.param("thread_ts") == null
                && c.param("blocks") != null && c.param("text").contains(ticketTitle(customer)));
    }

    static String ticketTitle(String customer) {
        return customer.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String ticketNumber(FakeSlack.Call statusMessage) {
        var matcher = java.util.regex.Pattern.compile("ASC-(\\d+)").matcher(statusMessage.param("text"));
        assertThat(matcher.find()).as("status message names its ticket").isTrue();
        return matcher.group(1);
    }

    @Test
    void signed_command_opens_the_new_onboarding_modal_with_the_contract_labels() {
        HttpResponse<String> response = app.requests().command("");

        assertThat(response.statusCode()).isEqualTo(200);
        FakeSlack.Call open = app.slack().await("views.open");
        String view = open.param("view");
        assertThat(view).contains("\"callback_id\":\"new_onboarding\"", "New onboarding",
                "\"private_metadata\":\"" + SlackRequests.CHANNEL + "\"");
        assertThat(view).contains("\"text\":\"Customer\"", "\"text\":\"Team Name\"", "\"text\":\"Team ID\"",
                "\"text\":\"Issuer ID\"", "\"text\":\"Key ID\"");
        assertThat(open.param("trigger_id")).isNotBlank();
    }

    @Test
    void new_subcommand_also_opens_the_modal() {
        app.requests().command("new");
        assertThat(app.slack().await("views.open").param("view")).contains("new_onboarding");
    }

    @Test
    void command_is_acked_before_the_modal_call_to_slack_completes() {
        app.slack().hold("views.open");
        try {
            HttpResponse<String> response = app.requests().command("new");
            assertThat(response.statusCode()).isEqualTo(200);
            // The ack came back while Slack still sat on views.open: the slow work runs after the ack.
            assertThat(app.slack().calls("views.open")).hasSizeLessThanOrEqualTo(1);
        } finally {
            app.slack().release("views.open");
        }
        app.slack().await("views.open");
    }

    @Test
    void bad_signature_is_rejected_with_401() {
        var forged = new SlackRequests(app.bot().port()).signingWith("not-the-signing-secret");
        assertThat(forged.command("help").statusCode()).isEqualTo(401);
        app.slack().assertNoCall("views.open", Duration.ofMillis(200));
    }

    @Test
    void request_older_than_five_minutes_is_rejected_with_401() {
        var replay = new SlackRequests(app.bot().port()).at(Instant.now().minus(Duration.ofMinutes(6)));
        assertThat(replay.command("help").statusCode()).isEqualTo(401);
    }

    @Test
    void help_answers_ephemerally() {
        HttpResponse<String> response = app.requests().command("help");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SlackRequests.responseType(response)).isEqualTo("ephemeral");
        assertThat(SlackRequests.text(response)).contains("/asc-onboard list", "/asc-onboard status ASC-<n>");
    }

    @Test
    void unknown_subcommand_gets_help() {
        HttpResponse<String> response = app.requests().command("frobnicate now");
        assertThat(SlackRequests.responseType(response)).isEqualTo("ephemeral");
        assertThat(SlackRequests.text(response)).contains("I don't know `frobnicate`", "/asc-onboard list");
        app.slack().assertNoCall("views.open", Duration.ofMillis(200));
    }

    @Test
    void each_invalid_input_comes_back_as_an_inline_error() {
        HttpResponse<String> response = app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("   ", null, "ABC", "A1B2C3D4E5", "key-id"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"response_action\":\"errors\"");
        assertThat(response.body()).contains("\"customer\":\"Enter the customer");
        assertThat(response.body()).contains("\"team_id\":\"A Team ID is exactly 10 letters or digits");
        assertThat(response.body()).contains("\"issuer_id\":\"This looks like a Team ID or Key ID");
        assertThat(response.body()).contains("\"key_id\":\"A Key ID is exactly 10 letters or digits");
        app.slack().assertNoCall("chat.postMessage", Duration.ofMillis(200));
    }

    @Test
    void issuer_id_pasted_as_team_id_is_named_as_such() {
        HttpResponse<String> response = app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Acme", null, "57246542-96FE-1A63-E053-0824D011072A", null, null));
        assertThat(response.body()).contains("\"team_id\":\"This looks like the Issuer ID");
    }

    @Test
    void submitting_creates_a_ticket_and_posts_its_status_message_and_a_thread_reply() {
        FakeSlack.Call status = createTicket("Globex Corporation");

        assertThat(status.param("channel")).isEqualTo(SlackRequests.CHANNEL);
        assertThat(status.param("text")).matches("ASC-\\d+ · Globex Corporation — onboarding status");
        String blocks = status.param("blocks");
        assertThat(blocks).contains("Vendor invited with certificate access", "App Manager API key (.p8) handed over",
                "Team Name and Team ID", "Issuer ID and Key ID", "Distribution-certificate slot for the vendor");
        assertThat(blocks).contains("✅", "⏳", "Team ID A1B2C3D4E5", "Issuer ID and Key ID missing");
        assertThat(blocks).contains("Edit details", "Upload link", "Verify now", "Create certificate", "Close");
        assertThat(status.param("unfurl_links")).isEqualTo("0");

        FakeSlack.Call reply = app.slack().await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("Globex Corporation"));
        assertThat(reply.param("text")).contains("<@" + SlackRequests.USER + ">", "opened ASC-");
    }

    @Test
    void edit_details_opens_the_prefilled_form_and_saving_updates_the_message_in_place() {
        FakeSlack.Call status = createTicket("Initech");
        String number = ticketNumber(status);
        String ts = app.slack().await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("Initech")).param("thread_ts");

        app.requests().click("ticket_edit", number, ts);
        String view = app.slack().await("views.open").param("view");
        assertThat(view).contains("\"callback_id\":\"edit_details\"", "Edit ASC-" + number,
                "\"initial_value\":\"Initech\"", "\"initial_value\":\"A1B2C3D4E5\"",
                "\"private_metadata\":\"" + number + ":0\"");

        HttpResponse<String> saved = app.requests().submitView("edit_details", number + ":0",
                SlackRequests.form("Initech", "Acme Inc.", "A1B2C3D4E5", " 57246542-96FE-1A63-E053-0824D011072A ", "zyx9876543"));
        assertThat(saved.body()).doesNotContain("errors");

        FakeSlack.Call update = app.slack().await("chat.update");
        assertThat(update.param("ts")).isEqualTo(ts);
        assertThat(update.param("channel")).isEqualTo(SlackRequests.CHANNEL);
        assertThat(update.param("blocks")).contains("Issuer ID 57246542-96fe-1a63-e053-0824d011072a",
                "Key ID ZYX9876543");
        FakeSlack.Call reply = app.slack().await("chat.postMessage",
                c -> ts.equals(c.param("thread_ts")) && c.param("text").contains("updated the details"));
        assertThat(reply.param("text")).contains("Key ID (none) → ZYX9876543");
    }

    @Test
    void create_certificate_on_a_ticket_without_a_key_says_what_is_missing() {
        String number = ticketNumber(createTicket("Umbrella"));

        app.requests().click("ticket_create_certificate", number, "1.1");

        FakeSlack.Call answer = app.slack().await("chat.postEphemeral");
        assertThat(answer.param("user")).isEqualTo(SlackRequests.USER);
        assertThat(answer.param("channel")).isEqualTo(SlackRequests.CHANNEL);
        assertThat(answer.param("text")).contains("cannot create a certificate yet", "needs the .p8");
    }

    @Test
    void close_keeps_the_state_shows_closed_and_removes_the_buttons() {
        FakeSlack.Call status = createTicket("Soylent");
        String number = ticketNumber(status);

        app.requests().click("ticket_close", number, "1.1");
        FakeSlack.Call update = app.slack().await("chat.update");
        assertThat(update.param("blocks")).contains("(closed)", "Closed by <@" + SlackRequests.USER + ">",
                "Team ID A1B2C3D4E5");
        assertThat(update.param("blocks")).doesNotContain("\"actions\"", "ticket_edit", "ticket_upload_link");
        app.slack().await("chat.postMessage",
                c -> c.param("thread_ts") != null && c.param("text").contains("closed ASC-"));

        assertThat(SlackRequests.text(app.requests().command("list"))).doesNotContain("Soylent");
        assertThat(SlackRequests.text(app.requests().command("status ASC-" + number))).contains("closed by");
    }

    @Test
    void list_shows_open_tickets_newest_first() {
        createTicket("Older Customer");
        createTicket("Newer Customer");

        String body = SlackRequests.text(app.requests().command("list"));
        assertThat(body).contains("Open tickets");
        assertThat(body.indexOf("Newer Customer")).isLessThan(body.indexOf("Older Customer"));
    }

    @Test
    void status_shows_the_steps_and_the_latest_events() {
        String number = ticketNumber(createTicket("Hooli"));

        String body = SlackRequests.text(app.requests().command("status ASC-" + number));
        assertThat(body).contains("ASC-" + number + " · Hooli", "Team Name and Team ID",
                "Latest events", "opened ASC-" + number);
        assertThat(SlackRequests.text(app.requests().command("status ASC-99999")))
                .contains("There is no ticket ASC-99999");
        assertThat(SlackRequests.text(app.requests().command("status banana"))).contains("is not a ticket number");
    }

    @Test
    void customer_names_cannot_inject_slack_markup() {
        FakeSlack.Call status = createTicket("Evil <!channel> & Co");
        assertThat(status.param("text")).contains("Evil &lt;!channel&gt; &amp; Co");
        FakeSlack.Call reply = app.slack().await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("Evil"));
        assertThat(reply.param("text")).doesNotContain("<!channel>");
        String list = SlackRequests.text(app.requests().command("list"));
        assertThat(list).contains("Evil &lt;!channel&gt; &amp; Co");
    }

    @Test
    void bot_joins_a_public_channel_it_is_not_in_and_posts_there() {
        app.slack().failNext("chat.postMessage", "not_in_channel");
        app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Joined Ltd", null, null, null, null));

        assertThat(app.slack().await("conversations.join").param("channel")).isEqualTo(SlackRequests.CHANNEL);
        app.slack().await("chat.postMessage", 2, c -> c.param("thread_ts") == null
                && c.param("text").contains("Joined Ltd"));
    }

    @Test
    void when_the_channel_cannot_be_reached_the_creator_is_told_directly() {
        app.slack().failNext("chat.postMessage", "channel_not_found");
        app.requests().submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form("Hidden Ltd", null, null, null, null));

        FakeSlack.Call direct = app.slack().await("chat.postMessage",
                c -> SlackRequests.USER.equals(c.param("channel")));
        assertThat(direct.param("text")).contains("was saved", "ASC-", "Hidden Ltd", "channel_not_found", "/invite");
    }

    @Test
    void verify_now_on_a_ticket_without_a_key_says_what_is_missing() {
        String number = ticketNumber(createTicket("Premature Ltd"));
        app.requests().click("ticket_verify", number, "1.1");
        assertThat(app.slack().await("chat.postEphemeral").param("text")).contains("cannot be verified yet",
                "needs the .p8", "the Issuer ID and the Key ID");
    }
}
