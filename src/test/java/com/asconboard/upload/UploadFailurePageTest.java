package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure of our own — here the database closing under a running bot, as during a shutdown — shows
 * the customer a short sentence and a reference, never the exception's text (which names the database
 * and may hold SQL); the log carries the same reference.
 */
class UploadFailurePageTest {
    static final Pattern REFERENCE = Pattern.compile("([0-9a-f]{10})\\.</p>");

    @TempDir
    Path dir;

    @Test
    void a_failure_of_ours_shows_a_reference_that_the_log_also_carries_and_no_exception_text() throws Exception {
        UploadClient browser = new UploadClient();
        try (FakeSlack slack = new FakeSlack(); LogCapture logs = new LogCapture();
                AscOnboard bot = TestBot.start(TestBot.environment(slack, dir), MutableClock.startingNow())) {
            TicketDriver driver = new TicketDriver(slack, new SlackRequests(bot.port()));
            String url = driver.uploadLink(driver.open("Failing Ltd", "Team", "TEAM123456", null, null));
            assertThat(browser.get(url).status()).isEqualTo(200);
            // H2's own driver, not a DriverManager lookup: the same in-process database is reached under PIT too.
            try (Connection sameDatabase = new org.h2.Driver().connect(
                    "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(), new Properties())) {
                sameDatabase.createStatement().execute("SHUTDOWN");
            }

            UploadClient.Answer page = browser.get(url);
            UploadClient.Answer french = browser.get(url + "?lang=fr");
            UploadClient.Answer upload = browser.upload(url, "AuthKey_X.p8", "x".getBytes(StandardCharsets.UTF_8),
                    Map.of("Accept-Language", "es-ES,es;q=0.9"));

            Set<String> references = new HashSet<>();
            for (UploadClient.Answer answer : List.of(page, french, upload)) {
                assertThat(answer.status()).isEqualTo(500);
                assertThat(answer.header("Connection")).as("nothing more is read after a failure").isEqualTo("close");
                assertThat(answer.body()).doesNotContain("Exception", "SQL", "SELECT", "jdbc", "Database", "90098",
                        "\tat ");
                assertThat(answer.header("Content-Security-Policy")).contains("default-src 'none'");
                Matcher reference = REFERENCE.matcher(answer.body());
                assertThat(reference.find()).as(answer.body()).isTrue();
                assertThat(logs.text()).contains("error reference " + reference.group(1));
                references.add(reference.group(1));
            }
            assertThat(references).as("each failure has its own reference").hasSize(3);
            assertThat(page.body()).contains("<html lang=\"en\">", "Something went wrong on our side, and nothing was "
                    + "stored", "give your contact at ASC Onboard this error reference");
            assertThat(french.body()).contains("<html lang=\"fr\">", "Une erreur s’est produite de notre côté");
            assertThat(upload.body()).contains("<html lang=\"es\">", "Algo ha fallado por nuestra parte");
        }
    }
}
