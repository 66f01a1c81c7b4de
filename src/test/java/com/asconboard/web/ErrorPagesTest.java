package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.config.Settings;
import com.asconboard.slack.SlackApp;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No error page shows an exception's text: a server error says so in a sentence and gives an error id,
 * and the log line that carries the exception carries the same id (and never an upload token).
 */
class ErrorPagesTest {
    /** What a database says when it is closed under a request: SQL included. */
    static final String DATABASE_MESSAGE = "Database is already closed [90121-232]: SELECT sealed FROM secrets "
            + "WHERE ticket_id = ?";
    static final String TOKEN = "Zx9" + "q".repeat(40);
    static final Pattern ERROR_ID = Pattern.compile("error id ([A-Z2-9]{10})");

    @TempDir
    Path dir;
    FakeSlack slack;
    WebServer web;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("PORT", "0");
        Settings settings = Settings.fromEnvironment(env, Settings.Purpose.SERVE);
        App app = new App(AppConfig.builder().slack(SlackApp.client(settings))
                .singleTeamBotToken(settings.slackBotToken()).signingSecret(settings.slackSigningSecret()).build());
        app.command("/asc-onboard", (req, ctx) -> {
            throw new IllegalStateException(DATABASE_MESSAGE);
        });
        web = new WebServer(settings, app, new Failing());
        web.add("/upload/*", new Failing());
        web.start();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        slack.close();
    }

    /** A servlet whose database went away. */
    static final class Failing extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException(DATABASE_MESSAGE);
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_server_error_shows_a_sentence_and_an_error_id_that_the_log_line_carries() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> page = get("/upload/" + TOKEN);

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.body()).contains("Something went wrong on our side.")
                    .doesNotContain("closed", "SELECT", "secrets", "Exception", "\tat ", TOKEN);
            Matcher id = ERROR_ID.matcher(page.body());
            assertThat(id.find()).as(page.body()).isTrue();
            assertThat(logs.text()).contains("error " + id.group(1)).contains(DATABASE_MESSAGE)
                    .doesNotContain(TOKEN);
        }
    }

    @Test
    void each_server_error_gets_its_own_error_id() throws Exception {
        Matcher first = ERROR_ID.matcher(get("/healthz").body());
        Matcher second = ERROR_ID.matcher(get("/healthz").body());
        assertThat(first.find()).isTrue();
        assertThat(second.find()).isTrue();
        assertThat(first.group(1)).isNotEqualTo(second.group(1));
    }

    @Test
    void a_failing_slack_request_answers_500_with_an_error_id_that_the_log_line_carries() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> answer = new SlackRequests(web.port()).command("list");

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).doesNotContain("closed", "SELECT", "Exception");
            Matcher id = Pattern.compile("\"error_id\":\"([A-Z2-9]{10})\"").matcher(answer.body());
            assertThat(id.find()).as(answer.body()).isTrue();
            assertThat(logs.text()).contains("error " + id.group(1)).contains(DATABASE_MESSAGE);
        }
    }

    @Test
    void errors_the_server_answers_itself_repeat_nothing_of_the_request() throws Exception {
        String probe = "<script>probe</script>";
        assertThat(get("/nothing-here/" + probe.replace("<", "%3C").replace(">", "%3E")).body())
                .contains("There is nothing here.").doesNotContain("probe", "nothing-here");

        String answer = raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad\u0001Header: " + probe
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").doesNotContain("probe", "Illegal", "character");

        String tooLong = raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "p".repeat(
                WebServer.MAX_REQUEST_HEADERS) + "\r\nConnection: close\r\n\r\n");
        assertThat(tooLong).startsWith("HTTP/1.1 431 ").doesNotContain("ppppp");
    }

    String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", web.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
