package com.asconboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    static final String BOT_TOKEN = "xoxb-1234-5678-secretbottoken";
    static final String SIGNING_SECRET = "signing-secret-value-123";
    static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("MASTER_KEY_FILE", dir.resolve("master.key").toString());
        return env;
    }

    @Test
    void defaults_follow_the_contract() {
        Settings s = Settings.fromEnvironment(minimal(), Settings.Purpose.SERVE);

        assertThat(s.port()).isEqualTo(3000);
        assertThat(s.slackApiUrl()).hasToString("https://slack.com/api/");
        assertThat(s.ascApiUrl()).hasToString("https://api.appstoreconnect.apple.com");
        assertThat(s.publicBase()).isEqualTo("http://localhost:3000");
        assertThat(s.databaseUrl()).isEqualTo("jdbc:h2:file:./data/asc-onboard");
        assertThat(s.vendorName()).isEqualTo("ASC Onboard");
        assertThat(s.uploadLinkTtl()).isEqualTo(Duration.ofHours(72));
        assertThat(s.watchInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(s.allowedChannels()).isEmpty();
        assertThat(s.allowedUsers()).isEmpty();
        assertThat(s.socketMode()).isFalse();
    }

    @Test
    void public_base_url_defaults_to_the_configured_port() {
        Map<String, String> env = minimal();
        env.put("PORT", "8080");
        assertThat(Settings.fromEnvironment(env, Settings.Purpose.SERVE).publicBase()).isEqualTo("http://localhost:8080");
    }

    @Test
    void missing_slack_credentials_are_named_together() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of(), Settings.Purpose.SERVE))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("SLACK_BOT_TOKEN is required")
                .hasMessageContaining("SLACK_SIGNING_SECRET is required");
    }

    @Test
    void the_cli_does_not_need_slack_credentials() {
        Settings s = Settings.fromEnvironment(Map.of("MASTER_KEY", MASTER_KEY), Settings.Purpose.CLI);
        assertThat(s.slackBotToken()).isNull();
    }

    @Test
    void every_malformed_variable_is_named_in_one_message() {
        Map<String, String> env = minimal();
        env.put("SLACK_BOT_TOKEN", "xoxp-user-token");
        env.put("SLACK_APP_TOKEN", "not-an-app-token");
        env.put("SLACK_API_URL", "ftp://example.com");
        env.put("ASC_API_URL", "not a url");
        env.put("PORT", "70000");
        env.put("PUBLIC_BASE_URL", "example.com/upload");
        env.put("DATABASE_URL", "h2:file:x");
        env.put("MASTER_KEY", "c2hvcnQ=");
        env.put("VENDOR_APPLE_ID", "not-an-email");
        env.put("ALLOWED_CHANNELS", "C123ABC, general");
        env.put("ALLOWED_USERS", "bob");
        env.put("UPLOAD_LINK_TTL", "3 days");
        env.put("WATCH_INTERVAL", "PT1S");

        var thrown = (InvalidSettingsException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Settings.fromEnvironment(env, Settings.Purpose.SERVE));

        assertThat(thrown.problems()).hasSize(13);
        assertThat(thrown.getMessage()).contains("SLACK_BOT_TOKEN must be a bot token starting with xoxb-",
                "SLACK_APP_TOKEN", "SLACK_API_URL", "ASC_API_URL", "PORT must be a port number", "PUBLIC_BASE_URL",
                "DATABASE_URL", "MASTER_KEY must be 32 bytes", "VENDOR_APPLE_ID", "ALLOWED_CHANNELS", "'general'",
                "ALLOWED_USERS", "UPLOAD_LINK_TTL must be an ISO-8601 duration", "WATCH_INTERVAL must be between");
        assertThat(thrown.getMessage()).doesNotContain("xoxp-user-token", "c2hvcnQ=");
    }

    @Test
    void a_master_key_file_with_garbage_is_reported() throws Exception {
        Files.writeString(dir.resolve("master.key"), "garbage");
        assertThatThrownBy(() -> Settings.fromEnvironment(minimal(), Settings.Purpose.SERVE))
                .hasMessageContaining("MASTER_KEY_FILE points to")
                .hasMessageContaining("does not hold 32 bytes in base64");
    }

    @Test
    void secrets_print_masked() {
        Map<String, String> env = minimal();
        env.put("SLACK_APP_TOKEN", "xapp-1-secretapptoken");
        env.put("DATABASE_PASSWORD", "db-password-value");
        env.put("MASTER_KEY", MASTER_KEY);

        String printed = Settings.fromEnvironment(env, Settings.Purpose.SERVE).toString();

        assertThat(printed).contains("SLACK_BOT_TOKEN=****", "SLACK_SIGNING_SECRET=****", "SLACK_APP_TOKEN=****",
                "DATABASE_PASSWORD=****", "MASTER_KEY=****");
        assertThat(printed).doesNotContain(BOT_TOKEN, SIGNING_SECRET, "xapp-1-secretapptoken", "db-password-value",
                MASTER_KEY);
    }

    @Test
    void allowed_lists_are_trimmed_and_split_on_commas() {
        Map<String, String> env = minimal();
        env.put("ALLOWED_CHANNELS", " C0AAA, G0BBB ,");
        env.put("ALLOWED_USERS", "U0AAA,W0BBB");
        Settings s = Settings.fromEnvironment(env, Settings.Purpose.SERVE);
        assertThat(s.allowedChannels()).containsExactlyInAnyOrder("C0AAA", "G0BBB");
        assertThat(s.allowedUsers()).containsExactlyInAnyOrder("U0AAA", "W0BBB");
    }
}
