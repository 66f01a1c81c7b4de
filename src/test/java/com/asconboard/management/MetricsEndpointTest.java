package com.asconboard.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.asc.AscClient;
import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.Verifier;
import com.asconboard.keys.TestKeys;
import com.asconboard.metrics.BotMetrics;
import com.asconboard.metrics.JettyMetrics;
import com.asconboard.metrics.Metrics;
import com.asconboard.metrics.PoolMetrics;
import com.asconboard.store.Database;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.PrometheusText;
import com.asconboard.testing.SlackRequests;
import com.asconboard.web.WebServer;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A short flow through every instrumented seam — a Slack command, a verification against App Store Connect,
 * uploads, the outbox, the watcher — then a scrape of {@code /metrics} on the management port, read back as
 * Prometheus text.
 */
class MetricsEndpointTest {
    private static final String TEAM_ID = "9ZTEAM0001";
    private static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    private static final String KEY_ID = "2X9R4HXF34";

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final HttpClient http = HttpClient.newHttpClient();
    private final Metrics metrics = Metrics.start();
    private final BotMetrics bot = new BotMetrics(metrics.registry(), clock);
    private final ManagementServer management = new ManagementServer("127.0.0.1", 0, metrics,
            new Readiness(Map.of()));

    @AfterEach
    void tearDown() throws Exception {
        management.close();
        metrics.close();
    }

    @Test
    void a_scrape_after_a_short_flow_has_every_family_with_sensible_values() throws Exception {
        slackCommand();
        verifyAKey();
        uploads();
        publicServerRequest();
        try (Database database = Database.open("jdbc:h2:mem:metrics" + System.nanoTime(), "", "")) {
            PoolMetrics.bind(database.dataSource(), metrics.registry());
            database.isHealthy();
            bot.watchOutbox(() -> new BotMetrics.OutboxBacklog(3, clock.instant().minusSeconds(42)));
            bot.watchTickets(List.of("onboarding", "active", "offboarded"),
                    () -> Map.of("onboarding", 2, "active", 5));
            bot.slackDelivery(BotMetrics.Delivery.DELIVERED);
            bot.slackDelivery(BotMetrics.Delivery.RETRIED);
            bot.certificate(BotMetrics.CertificateOutcome.CREATED);
            bot.watcherRound(4);
            bot.leaseTakenOver("verify");
            management.start();

            HttpResponse<String> response = get(management.port(), "/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
            PrometheusText scrape = PrometheusText.parse(response.body());

            assertThat(scrape.type("asconboard_slack_requests_seconds")).isEqualTo("histogram");
            assertThat(scrape.value("asconboard_slack_requests_seconds_count",
                    Map.of("kind", "command", "outcome", "ok"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_slack_requests_seconds_bucket",
                    Map.of("kind", "command", "outcome", "ok", "le", "3.0"))).isEqualTo(1);

            assertThat(scrape.type("asconboard_asc_requests_seconds")).isEqualTo("summary");
            assertThat(scrape.samples("asconboard_asc_requests_seconds_count", Map.of("status", "200")))
                    .extracting(s -> s.labels().get("endpoint"))
                    .contains("/v1/apps", "/v1/certificates");
            assertThat(scrape.value("asconboard_asc_requests_seconds_count",
                    Map.of("method", "GET", "endpoint", "/v1/certificates/{id}", "status", "401"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_asc_rate_limit")).isEqualTo(FakeAsc.DEFAULT_HOURLY_LIMIT);
            assertThat(scrape.value("asconboard_asc_rate_limit_remaining"))
                    .isBetween(1.0, FakeAsc.DEFAULT_HOURLY_LIMIT - 1.0);

            assertThat(scrape.value("asconboard_uploads_total", Map.of("result", "accepted"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_uploads_total", Map.of("result", "too_large"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_uploads_total", Map.of("result", "too_many_attempts"))).isZero();
            assertThat(scrape.value("asconboard_outbox_messages")).isEqualTo(3);
            assertThat(scrape.value("asconboard_outbox_oldest_age_seconds")).isEqualTo(42);
            assertThat(scrape.value("asconboard_slack_deliveries_total", Map.of("outcome", "retried"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_verifications_total", Map.of("outcome", "verified"))).isZero();
            assertThat(scrape.value("asconboard_certificates_total", Map.of("result", "created"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_watcher_rounds_total", Map.of("outcome", "ok"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_watcher_accounts_checked_total")).isEqualTo(4);
            assertThat(scrape.value("asconboard_watcher_last_success_timestamp_seconds"))
                    .isEqualTo(clock.instant().getEpochSecond());
            assertThat(scrape.value("asconboard_leases_taken_over_total", Map.of("job", "verify"))).isEqualTo(1);
            assertThat(scrape.value("asconboard_tickets", Map.of("state", "active"))).isEqualTo(5);
            assertThat(scrape.value("asconboard_tickets", Map.of("state", "offboarded"))).isZero();

            assertThat(scrape.families()).contains("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes",
                    "process_cpu_usage", "logback_events_total", "hikaricp_connections_active",
                    "jetty_connections_current_connections", "jetty_threads_busy", "jetty_server_requests_seconds");
            assertThat(scrape.value("jetty_server_requests_seconds_count",
                    Map.of("server", "public", "status", "200"))).isEqualTo(1);
            assertThat(scrape.samples("hikaricp_connections_max", Map.of()))
                    .singleElement().extracting(PrometheusText.Sample::value).isEqualTo(12.0);
            assertThat(response.body()).as("no ticket, key or token in any series")
                    .doesNotContain(KEY_ID, ISSUER, TEAM_ID, FakeSlack.BOT_TOKEN, "ASC-");
        }
    }

    /** The slash command through the public server, with the timer as Bolt middleware. */
    private void slackCommand() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(slack.apiUrl());
            App app = new App(AppConfig.builder().slack(Slack.getInstance(config))
                    .singleTeamBotToken(FakeSlack.BOT_TOKEN).signingSecret(SlackRequests.SIGNING_SECRET).build());
            app.use(bot.slackRequests());
            app.command("/asc-onboard", (req, ctx) -> ctx.ack("ok"));
            java.util.Map<String, String> env = com.asconboard.testing.TestBot.environment(slack,
                    java.nio.file.Files.createTempDirectory("metrics"));
            env.put("PORT", "0");
            WebServer web = new WebServer(com.asconboard.config.Settings.fromEnvironment(env,
                    com.asconboard.config.Settings.Purpose.SERVE), app, new HttpServlet() {
                    });
            web.start();
            try {
                assertThat(new SlackRequests(web.port()).command("help").statusCode()).isEqualTo(200);
            } finally {
                web.close();
            }
        }
    }

    /** A full verification through the OkHttp client with the timer: several endpoints, one with an id. */
    private void verifyAKey() throws Exception {
        try (FakeAsc asc = new FakeAsc(clock)) {
            FakeAsc.Account account = asc.addAccount(TEAM_ID, "Acme Inc");
            KeyPair pair = TestKeys.ecP256();
            account.addKey(KEY_ID, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
            account.addApp("Acme Rewards", "com.acme.rewards");
            OkHttpClient client = AscClient.defaultHttp().newBuilder().addInterceptor(bot.ascCalls()).build();
            AscConnector connector = new AscConnector(client, asc.url(), clock,
                    new AscClient.Retries(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)),
                    d -> { });
            new Verifier().verify(connector.open(new AscCredentials(ISSUER, KEY_ID, (ECPrivateKey) pair.getPrivate())),
                    new Verifier.Claims(TEAM_ID, "Acme Inc", null, Set.of()), clock.instant());
            // Unsigned, so Apple refuses it: a 401, under the path's template rather than the id.
            client.newCall(new okhttp3.Request.Builder().url(asc.url() + "/v1/certificates/ZX81CERT9?limit=1")
                    .build()).execute().close();
        }
    }

    /** Two POSTs to upload links, answered 200 and 413, and a GET of the page, which is not an upload. */
    private void uploads() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(bot.uploads()), "/upload/*",
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(req.getPathInfo().endsWith("big") ? 413 : 200);
            }

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(200);
            }
        }), "/upload/*");
        server.setHandler(context);
        server.start();
        try {
            int port = connector.getLocalPort();
            post(port, "/upload/tok1");
            post(port, "/upload/tok2big");
            get(port, "/upload/tok3");
        } finally {
            server.stop();
        }
    }

    /** One request to a Jetty server instrumented as the public one is. */
    private void publicServerRequest() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(200);
            }
        }), "/healthz");
        server.setHandler(context);
        JettyMetrics.instrument(server, "public", metrics.registry());
        server.start();
        try {
            assertThat(get(connector.getLocalPort(), "/healthz").statusCode()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void post(int port, String path) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString("key")).build(), HttpResponse.BodyHandlers.discarding());
    }
}
