package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that send their requests slowly hold no capacity that Slack's requests need. */
class SlowRequestsTest {
    /** Slack gives up on an answer after 3 seconds. */
    static final Duration SLACK_BUDGET = Duration.ofSeconds(3);
    static final int SLOW_UPLOADS = 60;

    @TempDir
    Path dir;

    @Test
    void sixty_slow_uploads_still_open_do_not_keep_a_slash_command_from_being_answered() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        List<Socket> uploads = new ArrayList<>();
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = TestBot.start(slack, dir)) {
            for (int i = 0; i < SLOW_UPLOADS; i++) {
                uploads.add(startSlowUpload(bot.port(), i));
            }
            // A few bytes every 100 ms: slow, but fast enough that no limit on the data rate ends them.
            trickle.scheduleAtFixedRate(() -> uploads.forEach(s -> sendSome(s, 64)), 0, 100,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(1_000);

            HttpResponse<String> help = signedCommand(bot.port(), "help");

            assertThat(help.statusCode()).isEqualTo(200);
            assertThat(SlackRequests.text(help)).contains("/asc-onboard list");
            for (Socket upload : uploads) {
                assertThat(isOpenWithoutAnswer(upload)).as("a slow upload is still being received").isTrue();
            }
        } finally {
            trickle.shutdownNow();
            for (Socket upload : uploads) {
                upload.close();
            }
        }
    }

    @Test
    void a_body_trickling_in_below_the_minimum_data_rate_is_cut_off_with_408() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = TestBot.start(slack, dir);
                Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", bot.port()), 5_000);
            socket.setSoTimeout(60_000);
            // Headers that pass for Slack's (the signature is only checked once the body is in), and a body
            // too large to be received before a thread reads it.
            OutputStream out = socket.getOutputStream();
            out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n"
                    + "X-Slack-Request-Timestamp: " + Instant.now().getEpochSecond() + "\r\n"
                    + "X-Slack-Signature: v0=" + "0".repeat(64) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            // Ten bytes every 100 ms: 100 bytes a second, a tenth of the minimum.
            for (int i = 0; i < 600 && in.available() == 0; i++) {
                try {
                    out.write("text=aaaaa".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            byte[] head = in.readNBytes(12);
            answer.append(new String(head, StandardCharsets.US_ASCII));
            assertThat(answer.toString()).isEqualTo("HTTP/1.1 408");
        }
    }

    @Test
    void large_slack_bodies_are_read_a_few_at_a_time_and_slack_commands_still_answered() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        List<Socket> large = new ArrayList<>();
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = TestBot.start(slack, dir)) {
            for (int i = 0; i < SlackEventsServlet.LARGE_BODIES_AT_ONCE; i++) {
                large.add(startLargeSlackBody(bot.port()));
            }
            trickle.scheduleAtFixedRate(() -> large.forEach(s -> sendSome(s, 256)), 0, 100, TimeUnit.MILLISECONDS);
            Thread.sleep(1_000);

            try (Socket one = startLargeSlackBody(bot.port())) {
                one.setSoTimeout(30_000);
                assertThat(new String(one.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 503");
            }
            HttpResponse<String> help = signedCommand(bot.port(), "help");
            assertThat(help.statusCode()).isEqualTo(200);
            for (Socket socket : large) {
                assertThat(isOpenWithoutAnswer(socket)).as("a large body is still being received").isTrue();
            }
        } finally {
            trickle.shutdownNow();
            for (Socket socket : large) {
                socket.close();
            }
        }
    }

    /** A request to /slack/events with headers that pass for Slack's and a body of 200,000 bytes to come. */
    static Socket startLargeSlackBody(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n"
                + "X-Slack-Request-Timestamp: " + Instant.now().getEpochSecond() + "\r\n"
                + "X-Slack-Signature: v0=" + "0".repeat(64) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Opens an upload whose body of 16,000 bytes (under the page's 16 KiB cap) has yet to come. */
    static Socket startSlowUpload(int port, int n) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        String token = String.format("%043d", n);
        socket.getOutputStream().write(("POST /upload/" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: multipart/form-data; boundary=slow\r\nContent-Length: 16000\r\n\r\n"
                + "--slow\r\nContent-Disposition: form-data; name=\"key\"; filename=\"AuthKey_X.p8\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    static void sendSome(Socket socket, int bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("x".repeat(bytes).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closed) {
            // The assertion on the socket says so.
        }
    }

    /** True while the server has neither answered nor closed the connection. */
    static boolean isOpenWithoutAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        InputStream in = socket.getInputStream();
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException stillWaiting) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    static HttpResponse<String> signedCommand(int port, String text) throws Exception {
        String body = SlackRequests.commandBody(text, SlackRequests.USER, SlackRequests.CHANNEL);
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .timeout(SLACK_BUDGET)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", SlackRequests.sign(SlackRequests.SIGNING_SECRET, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newBuilder().connectTimeout(SLACK_BUDGET).build().send(request,
                HttpResponse.BodyHandlers.ofString());
    }
}
