package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.RunningBot.Keyed;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TicketDriver;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bot's Home tab through the real bot: published when a user opens it, with the accounts needing attention
 * first, then onboardings in progress, then active accounts, each linking to its ticket; only the tickets of the
 * user's channels (admins: all); republished at a bounded rate when tickets change.
 */
class AppHomeTest {
    static final String VENDOR = "builds@vendor.example";
    static final String ADMIN = "U0ADMIN0001";
    static final String OTHER = "U0OTHER0001";
    static final String USER = SlackRequests.USER;
    static final String PUBLIC = SlackRequests.CHANNEL;
    static final String PRIVATE_THEIRS = "G0PRIVATE01";
    static final String PRIVATE_SHARED = "G0PRIVATE02";
    static final String ELSEWHERE = "C0ELSEWHERE";

    @RegisterExtension
    final RunningBot app = new RunningBot().withAsc().with(env -> {
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("ADMIN_USERS", ADMIN);
    });

    @BeforeEach
    void channels() {
        app.slack().addMember(PUBLIC, USER);
        app.slack().addMember(PRIVATE_SHARED, USER);
        app.slack().addMember(PRIVATE_THEIRS, OTHER);
        app.slack().addMember(ELSEWHERE, OTHER);
        app.slack().makePrivate(PRIVATE_THEIRS);
        app.slack().makePrivate(PRIVATE_SHARED);
    }

    /** Opens a ticket in {@code channel} as {@code user}; returns its status message's ts. */
    String openIn(String channel, String user, String customer) {
        app.requests().submitView("new_onboarding", channel, SlackRequests.form(customer, null, null, null, null),
                user);
        return app.slack().await("chat.postMessage", c -> c.param("thread_ts") == null
                && channel.equals(c.param("channel")) && c.param("text").contains(" · " + customer + " — "))
                .param("ts");
    }

    /** A ticket in the user's channel whose key was uploaded: active when {@code works}, rejected by Apple if not. */
    TicketDriver.Opened withKey(String customer, boolean works) {
        Keyed k = app.keyUploaded(customer, (account, keyId) -> {
            account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                    FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
            if (!works) {
                account.revokeKey(keyId);
            }
        });
        app.driver().reply(k.ticket(), works ? "created the vendor's distribution certificate" : "verification: ❌");
        return k.ticket();
    }

    String homeOf(String user) {
        int before = publishes(user);
        assertThat(app.requests().appHomeOpened(user).statusCode()).isEqualTo(200);
        return app.slack().await("views.publish", before + 1, c -> user.equals(c.param("user_id"))).get(before)
                .param("view");
    }

    int publishes(String user) {
        return (int) app.slack().calls("views.publish").stream().filter(c -> user.equals(c.param("user_id"))).count();
    }

    /** What Slack itself answers as the message's link. */
    String permalink(String channel, String ts) throws Exception {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(app.slack().apiUrl());
        return Slack.getInstance(config).methods(FakeSlack.BOT_TOKEN)
                .chatGetPermalink(r -> r.channel(channel).messageTs(ts)).getPermalink();
    }

    @Test
    void the_home_tab_shows_the_users_channels_accounts_needing_attention_first_each_linking_to_its_ticket()
            throws Exception {
        TicketDriver.Opened active = withKey("Active Ltd", true);
        withKey("Attention Co", false);
        openIn(PUBLIC, USER, "Onboarding Inc");
        openIn(PRIVATE_SHARED, USER, "Shared Private Corp");
        openIn(PRIVATE_THEIRS, OTHER, "Hidden Private Corp");
        openIn(ELSEWHERE, OTHER, "Elsewhere GmbH");

        String view = homeOf(USER);

        assertThat(view).contains("\"type\":\"home\"", "Customer accounts in your channels",
                "*3* onboarding · *1* active · *1* need attention",
                "Needs attention (1)", "Attention Co (onboarding)", "key rejected: Apple rejected the key",
                "Onboarding in progress (2)", "Onboarding Inc", "Shared Private Corp",
                "waiting on the ticket's owner since", "send the customer an Upload link", "owner <@" + USER + ">",
                "Active accounts (1)", "Active Ltd", "certificate expires");
        assertThat(view).doesNotContain("Hidden Private Corp", "Elsewhere GmbH");
        assertThat(view.indexOf("Needs attention")).isLessThan(view.indexOf("Onboarding in progress"));
        assertThat(view.indexOf("Onboarding in progress")).isLessThan(view.indexOf("Active accounts"));
        assertThat(view).contains("<" + permalink(PUBLIC, active.ts()) + "|" + active.key() + " · Active Ltd>");
        FakeSlack.Call asked = app.slack().await("users.conversations", c -> USER.equals(c.param("user")));
        assertThat(asked.param("types")).contains("public_channel", "private_channel");
    }

    @Test
    void admins_see_every_channels_accounts() {
        openIn(PUBLIC, USER, "Public Corp");
        openIn(PRIVATE_THEIRS, OTHER, "Hidden Private Corp");
        openIn(ELSEWHERE, OTHER, "Elsewhere GmbH");

        String view = homeOf(ADMIN);

        assertThat(view).contains("every channel", "Public Corp", "Hidden Private Corp", "Elsewhere GmbH",
                "*3* onboarding");
        assertThat(app.slack().calls("users.conversations")).as("admins' channels need not be asked").isEmpty();
    }

    @Test
    void a_member_of_no_ticket_channel_is_told_so() {
        openIn(PRIVATE_THEIRS, OTHER, "Hidden Private Corp");

        assertThat(homeOf("U0NEWCOMER1")).contains("No accounts in the channels you are a member of")
                .doesNotContain("Hidden Private Corp");
    }

    @Test
    void the_view_is_republished_when_a_ticket_changes_at_most_once_a_minute() {
        TicketDriver.Opened ticket = app.driver().open("Renamed Soon Inc", null, null, null, null);
        app.clock().advance(Duration.ofSeconds(30));
        homeOf(USER);
        assertThat(publishes(USER)).isOne();

        app.clock().advance(Duration.ofMinutes(2));
        app.bot().housekeepOnce();
        assertThat(publishes(USER)).as("nothing changed").isOne();

        app.requests().submitView("edit_details", ticket.number() + ":0",
                SlackRequests.form("Renamed Corp", null, null, null, null));
        app.driver().reply(ticket, "updated the details");
        app.bot().housekeepOnce();
        assertThat(publishes(USER)).isEqualTo(2);

        app.requests().submitView("edit_details", ticket.number() + ":1",
                SlackRequests.form("Renamed Again Corp", null, null, null, null));
        app.driver().reply(ticket, "Renamed Again Corp");
        app.bot().housekeepOnce();
        assertThat(publishes(USER)).as("published less than a minute ago").isEqualTo(2);
        app.clock().advance(Duration.ofSeconds(61));
        app.bot().housekeepOnce();
        app.bot().housekeepOnce();

        List<FakeSlack.Call> published = app.slack().calls("views.publish").stream()
                .filter(c -> USER.equals(c.param("user_id"))).toList();
        assertThat(published).hasSize(3);
        assertThat(published.get(1).param("view")).contains("Renamed Corp").doesNotContain("Renamed Soon Inc");
        assertThat(published.get(2).param("view")).contains("Renamed Again Corp");
    }

    @Test
    void a_large_fleet_is_capped_per_section_with_how_many_more() {
        for (int i = 1; i <= HomeView.SECTION_CAP + 2; i++) {
            openIn(PUBLIC, USER, "Fleet Customer " + i);
        }

        String view = homeOf(USER);

        assertThat(view).contains("Onboarding in progress (" + (HomeView.SECTION_CAP + 2) + ")", "…and 2 more");
        assertThat(view.split("Fleet Customer ", -1)).hasSize(HomeView.SECTION_CAP + 1);
    }
}
