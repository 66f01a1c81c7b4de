package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload's limits at their exact values, through the real server: a body of exactly 16 KiB is read and
 * one byte more is refused, with or without a Content-Length; the fourth wrong file leaves one try and the
 * fifth locks the link.
 */
class UploadLimitsTest {
    static final String BOUNDARY = "limit-boundary";
    static final MediaType MULTIPART = MediaType.get("multipart/form-data; boundary=" + BOUNDARY);

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static AscOnboard bot;
    static TicketDriver driver;
    static final UploadClient browser = new UploadClient();

    @BeforeAll
    static void start() {
        slack = new FakeSlack();
        bot = TestBot.start(TestBot.environment(slack, dir), MutableClock.startingNow());
        driver = new TicketDriver(slack, new SlackRequests(bot.port()));
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        slack.close();
    }

    static String link(String customer) {
        return driver.uploadLink(driver.open(customer, "Team", "TEAM123456", null, null));
    }

    /** A form upload of a valid key file, padded with trailing spaces so that the whole body is {@code size} bytes. */
    static byte[] body(int size, String keyId) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"; filename=\"AuthKey_" + keyId
                + ".p8\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] key = TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] padding = new byte[size - head.length - key.length - tail.length];
        Arrays.fill(padding, (byte) ' ');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(key);
        out.writeBytes(padding);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    static RequestBody chunked(byte[] body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return MULTIPART;
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(body);
            }
        };
    }

    @Test
    void a_body_of_exactly_16_kib_is_read_and_one_byte_more_is_refused() {
        assertThat(UploadServlet.MAX_BODY).isEqualTo(16 * 1024);
        String url = link("Sixteen KiB Ltd");
        byte[] over = body(UploadServlet.MAX_BODY + 1, "LIMIT00001");
        UploadClient.Answer refused = browser.post(url, RequestBody.create(over, MULTIPART), Map.of());
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.body()).contains("larger than 16 KiB");

        byte[] exact = body(UploadServlet.MAX_BODY, "LIMIT00001");
        assertThat(exact).hasSize(16_384);
        UploadClient.Answer accepted = browser.post(url, RequestBody.create(exact, MULTIPART), Map.of());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).contains("AuthKey_LIMIT00001.p8");
    }

    @Test
    void without_a_content_length_16_kib_are_read_and_one_byte_more_is_refused() {
        String url = link("Chunked Ltd");
        assertThat(browser.post(url, chunked(body(UploadServlet.MAX_BODY + 1, "LIMIT00002")), Map.of()).status())
                .isEqualTo(413);

        UploadClient.Answer accepted = browser.post(url, chunked(body(UploadServlet.MAX_BODY, "LIMIT00002")), Map.of());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).contains("AuthKey_LIMIT00002.p8");
    }

    @Test
    void four_wrong_files_leave_one_try_and_the_fifth_locks_the_link() {
        String url = link("Five Tries Ltd");
        byte[] wrong = "not a key".getBytes(StandardCharsets.UTF_8);

        assertThat(browser.upload(url, "AuthKey_LIMIT00003.p8", wrong).body())
                .contains("You can try 4 more times with this link.");
        browser.upload(url, "AuthKey_LIMIT00003.p8", wrong);
        browser.upload(url, "AuthKey_LIMIT00003.p8", wrong);
        UploadClient.Answer fourth = browser.upload(url, "AuthKey_LIMIT00003.p8", wrong);
        assertThat(fourth.status()).isEqualTo(400);
        assertThat(fourth.body()).contains("You can try 1 more time with this link.").doesNotContain("locked");
        assertThat(browser.get(url).status()).as("still open after four").isEqualTo(200);

        UploadClient.Answer fifth = browser.upload(url, "AuthKey_LIMIT00003.p8", wrong);
        assertThat(fifth.status()).isEqualTo(400);
        assertThat(fifth.body()).contains("This link is now locked after 5 attempts");
        assertThat(browser.get(url).status()).isEqualTo(429);
    }
}
