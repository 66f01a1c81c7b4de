package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.Sealed;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failure of our own (here: the database going away during shutdown) shows the customer a short
 * sentence and a reference, never the exception's text; the log carries the same reference.
 */
class UploadFailurePageTest {
    static final String SQL_TEXT = "Database is already closed [90098-232] SELECT id FROM upload_links WHERE token_hash=?";
    static final String TOKEN = "A".repeat(43);

    static Server server;
    static String base;
    static final UploadClient browser = new UploadClient();

    /** A store whose every read fails as H2 does once it was closed. */
    static final class ClosedStore implements UploadLinkRepository {
        @Override
        public UploadLink issue(long ticketId, String tokenHash, String createdBy, Instant createdAt,
                Instant expiresAt) {
            throw failure();
        }

        @Override
        public Optional<UploadLink> findByTokenHash(String tokenHash) {
            throw failure();
        }

        @Override
        public UploadLink recordFailure(long linkId, int limit) {
            throw failure();
        }

        @Override
        public boolean consume(long linkId, long ticketId, Instant now, String ip, Sealed sealedKey, String keyId) {
            throw failure();
        }

        @Override
        public List<UploadLink> expireDue(Instant now) {
            throw failure();
        }

        @Override
        public boolean claimLateUseNotice(long linkId) {
            throw failure();
        }

        static IllegalStateException failure() {
            return new IllegalStateException(SQL_TEXT);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        UploadLinks links = new UploadLinks(new ClosedStore(), null, null, Clock.systemUTC(), Duration.ofHours(1),
                "http://127.0.0.1", id -> { });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new UploadServlet(links, "Vendor & Co", "http://127.0.0.1", Clock.systemUTC())),
                "/upload/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/upload/";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void a_failure_of_ours_shows_a_reference_that_the_log_also_carries_and_no_exception_text() {
        try (LogCapture logs = new LogCapture()) {
            for (UploadClient.Answer answer : List.of(browser.get(base + TOKEN),
                    browser.upload(base + TOKEN, "AuthKey_X.p8", "x".getBytes(StandardCharsets.UTF_8)))) {
                assertThat(answer.status()).isEqualTo(500);
                assertThat(answer.body()).contains("Something went wrong on our side, and nothing was stored",
                        "Vendor &amp; Co").doesNotContain("SELECT", "Database", "Exception", "upload_links");
                assertThat(answer.header("Content-Security-Policy")).contains("default-src 'none'");
                Matcher reference = Pattern.compile("error reference: ([0-9a-f]{10})\\.").matcher(answer.body());
                assertThat(reference.find()).as(answer.body()).isTrue();
                assertThat(logs.text()).contains("error reference " + reference.group(1));
                assertThat(logs.text()).contains(SQL_TEXT);
            }
        }
    }

    @Test
    void the_failure_page_is_in_the_customers_language() {
        UploadClient.Answer page = browser.get(base + TOKEN + "?lang=fr");
        UploadClient.Answer upload = browser.upload(base + TOKEN, "AuthKey_X.p8", new byte[1],
                Map.of("Accept-Language", "es-ES,es;q=0.9"));

        assertThat(page.status()).isEqualTo(500);
        assertThat(page.body()).contains("<html lang=\"fr\">", "Une erreur s’est produite de notre côté")
                .doesNotContain("SELECT");
        assertThat(upload.status()).isEqualTo(500);
        assertThat(upload.body()).contains("<html lang=\"es\">", "Algo ha fallado por nuestra parte")
                .doesNotContain("SELECT");
    }
}
