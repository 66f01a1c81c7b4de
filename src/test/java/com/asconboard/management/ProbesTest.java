package com.asconboard.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.AscOnboard;
import com.asconboard.metrics.Metrics;
import com.asconboard.store.Database;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.TestBot;
import com.google.gson.JsonParser;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /livez} and {@code /readyz} on the management port, and what the public port does not serve. */
class ProbesTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Metrics metrics = Metrics.start();
    private final AtomicBoolean migrated = new AtomicBoolean(true);
    private ManagementServer management;

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception {
        if (management != null) {
            management.close();
        }
        metrics.close();
    }

    @Test
    void livez_stays_up_while_the_database_is_down_and_readyz_says_which_check_failed() throws Exception {
        Database database = Database.open("jdbc:h2:mem:probes" + System.nanoTime(), "", "");
        Readiness readiness = start(database::isHealthy);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").body()).isEqualTo("{\"status\":\"ok\"}");

        database.close();

        assertThat(get("/livez").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JsonParser.parseString(ready.body()).getAsJsonObject().get("database").getAsString())
                .isEqualTo("down");
        assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(readiness.draining()).isFalse();
    }

    @Test
    void readyz_is_503_while_migrations_are_pending() throws Exception {
        start(() -> true);
        migrated.set(false);

        HttpResponse<String> ready = get("/readyz");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"unavailable\",\"migrations\":\"down\"}");
    }

    @Test
    void once_draining_readyz_stays_503_and_livez_stays_200() throws Exception {
        Readiness readiness = start(() -> true);

        readiness.startDraining();

        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/readyz").body()).isEqualTo("{\"status\":\"unavailable\",\"draining\":true}");
        assertThat(get("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void a_check_that_throws_counts_as_down() throws Exception {
        start(() -> {
            throw new IllegalStateException("pool closed");
        });

        assertThat(get("/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void the_management_port_listens_on_its_bind_address_only() throws Exception {
        start(() -> true);
        assertThat(management.host()).isEqualTo("127.0.0.1");

        // 127.0.0.2 is this machine too, but not the address it listens on.
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.2:" + management.port() + "/livez")).build(),
                HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void only_get_is_served_and_unknown_paths_are_404() throws Exception {
        start(() -> true);

        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/slack/events").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base() + "/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void the_public_port_serves_no_metrics_and_no_management_probes() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            AscOnboard bot = TestBot.start(slack, dir);
            try {
                String base = "http://127.0.0.1:" + bot.port();
                for (String path : new String[] {"/metrics", "/livez", "/readyz"}) {
                    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
                }
            } finally {
                bot.close();
            }
        }
    }

    private Readiness start(BooleanSupplier database) throws Exception {
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("database", database);
        checks.put("migrations", migrated::get);
        Readiness readiness = new Readiness(checks);
        management = new ManagementServer("127.0.0.1", 0, metrics, readiness);
        management.start();
        return readiness;
    }

    private String base() {
        return "http://127.0.0.1:" + management.port();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
