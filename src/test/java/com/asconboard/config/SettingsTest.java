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

    @Test
    void new_variables_have_the_documented_defaults() {
        Settings s = Settings.fromEnvironment(minimal(), Settings.Purpose.SERVE);

        assertThat(s.drainDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(s.trustedProxies()).isEmpty();
        assertThat(s.adminUsers()).isEmpty();
        assertThat(s.isAdmin("U0ANYONE")).isTrue();
        assertThat(s.managementPort()).isEqualTo(9464);
        assertThat(s.managementBindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.logFormat()).isEqualTo(Settings.LogFormat.TEXT);
        assertThat(s.reminderAfter()).isEqualTo(Duration.ofDays(3));
        assertThat(s.instanceId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(s.postgres()).isFalse();
    }

    @Test
    void admin_users_limit_who_is_an_admin() {
        Map<String, String> env = minimal();
        env.put("ADMIN_USERS", "U0BOSS, W0CHIEF");
        Settings s = Settings.fromEnvironment(env, Settings.Purpose.SERVE);
        assertThat(s.isAdmin("U0BOSS")).isTrue();
        assertThat(s.isAdmin("W0CHIEF")).isTrue();
        assertThat(s.isAdmin("U0ENGINEER")).isFalse();
    }

    @Test
    void postgresql_never_gets_a_master_key_created() {
        Map<String, String> env = minimal();
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/asc");
        assertThatThrownBy(() -> Settings.fromEnvironment(env, Settings.Purpose.SERVE))
                .hasMessageContaining("MASTER_KEY or MASTER_KEY_FILE is required with PostgreSQL");

        env.put("MASTER_KEY", MASTER_KEY);
        assertThat(Settings.fromEnvironment(env, Settings.Purpose.SERVE).postgres()).isTrue();
    }

    @Test
    void plain_http_is_refused_for_hosts_other_than_this_machine() {
        Map<String, String> env = minimal();
        env.put("PUBLIC_BASE_URL", "http://bot.example.com");
        env.put("ASC_API_URL", "http://api.appstoreconnect.apple.com");
        env.put("SLACK_API_URL", "http://slack.com/api/");
        var thrown = (InvalidSettingsException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Settings.fromEnvironment(env, Settings.Purpose.SERVE));
        assertThat(thrown.problems()).hasSize(3).allMatch(p -> p.contains("must use https://"));

        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:3000");
        env.put("ASC_API_URL", "http://localhost:9000");
        env.put("SLACK_API_URL", "http://[::1]:9001/api/");
        assertThat(Settings.fromEnvironment(env, Settings.Purpose.SERVE).publicBase()).isEqualTo("http://127.0.0.1:3000");
    }

    @Test
    void trusted_proxies_take_addresses_and_ranges_and_name_a_bad_one() {
        Map<String, String> env = minimal();
        env.put("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7,::1");
        Settings s = Settings.fromEnvironment(env, Settings.Purpose.SERVE);
        assertThat(s.trustedProxies()).hasSize(3);
        assertThat(s.trustedProxies().get(0).contains("10.20.30.40")).isTrue();
        assertThat(s.trustedProxies().get(1).contains("192.168.1.8")).isFalse();

        env.put("TRUSTED_PROXIES", "10.0.0.0/33,proxy.example.com");
        assertThatThrownBy(() -> Settings.fromEnvironment(env, Settings.Purpose.SERVE))
                .hasMessageContaining("'10.0.0.0/33'").hasMessageContaining("'proxy.example.com'");
    }

    @Test
    void malformed_operations_variables_are_named() {
        Map<String, String> env = minimal();
        env.put("BIND_ADDRESS", "everywhere");
        env.put("MANAGEMENT_BIND_ADDRESS", "localhost.example");
        env.put("MANAGEMENT_PORT", "-1");
        env.put("LOG_FORMAT", "xml");
        env.put("REMINDER_AFTER", "PT10S");
        env.put("DRAIN_DELAY", "soon");
        env.put("ADMIN_USERS", "alice");
        var thrown = (InvalidSettingsException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Settings.fromEnvironment(env, Settings.Purpose.SERVE));
        assertThat(thrown.problems()).hasSize(7);
        assertThat(thrown.getMessage()).contains("BIND_ADDRESS must be an IP address", "MANAGEMENT_BIND_ADDRESS",
                "MANAGEMENT_PORT", "LOG_FORMAT must be text or json", "REMINDER_AFTER must be between",
                "DRAIN_DELAY must be an ISO-8601 duration", "ADMIN_USERS");
    }

    @Test
    void the_previous_master_key_is_masked_and_must_differ() {
        Map<String, String> env = minimal();
        env.put("MASTER_KEY", MASTER_KEY);
        env.put("MASTER_KEY_PREVIOUS", MASTER_KEY);
        assertThatThrownBy(() -> Settings.fromEnvironment(env, Settings.Purpose.SERVE))
                .hasMessageContaining("MASTER_KEY_PREVIOUS is the same key as MASTER_KEY");
        String other = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        env.put("MASTER_KEY_PREVIOUS", other);
        String printed = Settings.fromEnvironment(env, Settings.Purpose.SERVE).toString();
        assertThat(printed).contains("MASTER_KEY_PREVIOUS=****").doesNotContain(other);
    }
}
