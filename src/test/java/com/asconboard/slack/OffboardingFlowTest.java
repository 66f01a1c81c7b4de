package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.RunningBot.Keyed;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TicketDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An account's end through the real bot, Slack and App Store Connect faked: Offboard (admins, after a
 * confirmation naming the customer, optionally revoking the vendor's own certificate) and Close.
 */
class OffboardingFlowTest {
    static final String VENDOR = "builds@vendor.example";
    static final String ADMIN = "U0ADMIN0001";

    @RegisterExtension
    final RunningBot app = new RunningBot().withAsc().with(env -> {
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("ADMIN_USERS", ADMIN);
    });

    /** An active account: key verified, the vendor user in place, the vendor's certificate created in a free slot. */
    record Active(TicketDriver.Opened ticket, FakeAsc.Account account, String keyId, FakeAsc.Certificate vendors) {
    }

    Active active(String customer) {
        Keyed k = app.keyUploaded(customer, (account, keyId) -> {
            account.addUser(VENDOR, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                    FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
            account.addCertificate("Customer's own", FakeAsc.CertificateType.DISTRIBUTION,
                    app.clock().instant().plus(Duration.ofDays(200)));
        });
        app.driver().reply(k.ticket(), "is active and watched");
        app.driver().reply(k.ticket(), "created the vendor's distribution certificate");
        FakeAsc.Certificate vendors = k.account().certificates().stream()
                .filter(c -> "Created via API".equals(c.displayName())).findFirst().orElseThrow();
        return new Active(k.ticket(), k.account(), k.keyId(), vendors);
    }

    void submitOffboard(Active a, boolean revoke) {
        Map<String, Map<String, Object>> state = revoke
                ? Map.of("offboard_options", Map.of("revoke_certificate", Map.of("type", "checkboxes",
                        "selected_options", List.of(Map.of("value", "revoke", "text", Map.of("type", "plain_text",
                                "text", "Revoke it at Apple")))))) : Map.of();
        var answer = app.requests().submitViewState("offboard", a.ticket().number(), state, ADMIN);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).as("the form closes").doesNotContain("response_action");
    }

    int secretsOf(TicketDriver.Opened ticket) throws Exception {
        try (Connection c = DriverManager.getConnection(app.env().get("DATABASE_URL"));
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ticket_secrets WHERE ticket_id = "
                        + ticket.number())) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void offboard_is_for_admins_and_first_asks_naming_the_customer() {
        Active a = active("Globex Corp");
        app.driver().update(a.ticket(), "ticket_offboard");

        app.requests().click("ticket_offboard", a.ticket().number(), a.ticket().ts());
        FakeSlack.Call refused = app.slack().await("chat.postEphemeral", c -> c.param("text").contains("Offboarding"));
        assertThat(refused.param("text")).contains("only asc-onboard's admins", ADMIN);
        assertThat(app.slack().calls("views.open")).isEmpty();

        app.requests().click("ticket_offboard", a.ticket().number(), a.ticket().ts(), ADMIN, SlackRequests.CHANNEL);
        FakeSlack.Call form = app.slack().await("views.open");
        assertThat(form.param("view")).contains("\"callback_id\":\"offboard\"", "Offboard Globex Corp?",
                "Revoke it at Apple (serial " + a.vendors().serialNumber(), "\"type\":\"checkboxes\"",
                "\"private_metadata\":\"" + a.ticket().number() + "\"").doesNotContain("initial_options");
    }

    @Test
    void offboarding_destroys_the_secrets_stops_watching_and_tells_the_customer_what_to_revoke() throws Exception {
        Active a = active("Initech");
        assertThat(secretsOf(a.ticket())).as("the key and the certificate's key").isEqualTo(2);

        submitOffboard(a, false);

        FakeSlack.Call told = app.driver().reply(a.ticket(), "offboarded Initech");
        assertThat(told.param("text")).startsWith("<@" + ADMIN + "> offboarded Initech").contains(
                "the stored API key and the vendor's certificate private key were destroyed", "no longer watched",
                "revoke the API key " + a.keyId(), "remove the vendor's user " + VENDOR,
                "revoke the vendor's distribution certificate (serial " + a.vendors().serialNumber(),
                "What the vendor keeps: nothing secret");
        FakeSlack.Call status = app.driver().update(a.ticket(), "(offboarded)");
        assertThat(status.param("blocks")).contains("Offboarded by <@" + ADMIN + ">")
                .doesNotContain("ticket_offboard", "ticket_close", "ticket_upload_link");
        assertThat(secretsOf(a.ticket())).isZero();
        assertThat(app.asc().requests().stream().filter(r -> "DELETE".equals(r.method()))).isEmpty();

        int before = app.asc().requestCount();
        app.bot().watchOnce();
        assertThat(app.asc().requestCount()).as("no longer watched").isEqualTo(before);
        assertThat(SlackRequests.text(app.requests().command("status " + a.ticket().key())))
                .contains("— offboarded by <@" + ADMIN + ">");
    }

    @Test
    void offboarding_with_revocation_revokes_only_the_vendors_own_certificate_then_destroys_the_key()
            throws Exception {
        Active a = active("Umbrella Corp");
        FakeAsc.Certificate customers = a.account().certificates().stream()
                .filter(c -> "Customer's own".equals(c.displayName())).findFirst().orElseThrow();

        submitOffboard(a, true);

        FakeSlack.Call revoked = app.driver().reply(a.ticket(), "revoked the vendor's distribution certificate");
        assertThat(revoked.param("text")).contains("serial " + a.vendors().serialNumber(), "freeing the slot",
                "the stored API key was destroyed");
        assertThat(app.asc().requests().stream().filter(r -> "DELETE".equals(r.method()))
                .map(r -> r.pathWithoutQuery()))
                .containsExactly("/v1/certificates/" + a.vendors().id());
        assertThat(a.account().certificate(a.vendors().id()).orElseThrow().isRevoked()).isTrue();
        assertThat(a.account().certificate(customers.id()).orElseThrow().isRevoked()).isFalse();
        assertThat(secretsOf(a.ticket())).isZero();
    }

    @Test
    void close_abandons_an_onboarding_and_destroys_the_key_it_received() throws Exception {
        TicketDriver.Opened ticket = app.keyUploaded("Abandoned Ltd", (account, keyId) -> account.revokeKey(keyId))
                .ticket();
        app.driver().reply(ticket, "verification: ❌");
        assertThat(secretsOf(ticket)).isOne();

        app.requests().click("ticket_close", ticket.number(), ticket.ts());

        assertThat(app.driver().reply(ticket, "closed " + ticket.key()).param("text"))
                .contains("the onboarding was abandoned", "the API key received was destroyed");
        assertThat(secretsOf(ticket)).isZero();
        app.driver().update(ticket, "(closed)");
    }
}
