package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.BotProcess;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests of a mebibyte that Slack did not sign cost the bot little memory: it answers Slack all the same. */
class HugeRequestsTest {
    static final int MEBIBYTE = 1024 * 1024;
    static final int POSTS = 64;

    @TempDir
    Path dir;

    @Test
    void sixty_four_unsigned_one_mebibyte_posts_leave_a_256_MiB_bot_answering() throws Exception {
        try (FakeSlack slack = new FakeSlack()) {
            Map<String, String> env = TestBot.environment(slack, dir);
            int port = Integer.parseInt(env.get("PORT"));
            try (BotProcess bot = BotProcess.start(dir, env, List.of("-Xmx256m"))) {
                bot.awaitHealthy(port);
                ExecutorService clients = Executors.newFixedThreadPool(POSTS);
                try {
                    for (int round = 0; round < 2; round++) {
                        List<Future<?>> posts = new ArrayList<>();
                        CountDownLatch allButLastByte = new CountDownLatch(POSTS);
                        for (int i = 0; i < POSTS; i++) {
                            // Half carry no signature at all, half a forged one with a fresh timestamp.
                            boolean forged = i % 2 == 1;
                            posts.add(clients.submit(() -> postMebibyte(port, forged, allButLastByte)));
                        }
                        for (Future<?> post : posts) {
                            post.get(2, TimeUnit.MINUTES);
                        }
                    }
                } finally {
                    clients.shutdownNow();
                }

                HttpResponse<String> help = new SlackRequests(port).command("help");
                assertThat(help.statusCode()).as(bot.output()).isEqualTo(200);
                assertThat(SlackRequests.text(help)).contains("/asc-onboard list");
                assertThat(bot.isAlive()).isTrue();
                assertThat(bot.output()).doesNotContain("OutOfMemoryError");
            }
        }
    }

    /**
     * Sends one request of a mebibyte, all of them at once: each sends all but its last byte, waits for the
     * others, then sends the last. The server may answer and close before it has all been sent.
     */
    static String postMebibyte(int port, boolean forged, CountDownLatch allButLastByte) throws Exception {
        byte[] body = new byte[MEBIBYTE];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy("command=%2Fasc-onboard&text=".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 28);
        String signature = forged ? "X-Slack-Request-Timestamp: " + Instant.now().getEpochSecond() + "\r\n"
                + "X-Slack-Signature: v0=" + "0".repeat(64) + "\r\n" : "";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + MEBIBYTE + "\r\n"
                        + signature + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length - 1);
                out.flush();
            } catch (IOException answeredEarly) {
                // Refused before the body was read: the server closed while this side was still sending.
            } finally {
                allButLastByte.countDown();
            }
            allButLastByte.await(60, TimeUnit.SECONDS);
            try {
                out.write(body, body.length - 1, 1);
                out.flush();
            } catch (IOException answeredEarly) {
                // as above
            }
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException reset) {
                return "";
            }
        }
    }
}
