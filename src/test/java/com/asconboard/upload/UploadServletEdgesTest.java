package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.AscCustomer;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.PacedPost;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.UploadClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upload servlet at its edges, over plain HTTP: the drain bound at its exact value, refusals of every kind
 * counting against the sending address, the status address refusing a POST, a detail at its exact length, and
 * the waiting page's refresh count read from the query.
 */
class UploadServletEdgesTest {
    static final String BOUNDARY = "----asconboardEdgesBoundary";
    static final String ISSUER = "69a6de7e-0b1c-47e3-e053-5b8c7c11a4d1";

    @RegisterExtension
    static final RunningBot app = new RunningBot().withAsc().with(env -> env.put("AUTO_CREATE_CERTIFICATE", "false"));
    static final UploadClient browser = app.browser();

    @BeforeEach
    void freshRateLimitWindow() {
        app.clock().advance(Duration.ofMinutes(11));
        app.asc().clearFaults();
    }

    static String link(String customer) {
        return app.driver().uploadLink(app.driver().open(customer, "Team", "TEAM123456", null, null));
    }

    static String path(String url) {
        return url.substring(url.indexOf("/upload/"));
    }

    /** {@code size} bytes of a multipart body whose one file part is cut off wherever the size ends. */
    static byte[] bodyOf(int size) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"; filename=\"AuthKey_BIG.p8\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'A');
        System.arraycopy(head, 0, body, 0, head.length);
        return body;
    }

    /**
     * Sends a multipart POST as a plain client does (see {@link PacedPost}), pausing every 16 pieces; answers that
     * take more than 10 s mean the server waits for more than was sent.
     */
    static PacedPost post(String target, byte[] body) {
        return PacedPost.to(app.bot().port(), target).header("Content-Type", "multipart/form-data; boundary="
                + BOUNDARY).body(body).pausingEvery(16).readTimeout(Duration.ofSeconds(10));
    }

    @Test
    void an_oversized_body_of_exactly_the_drain_bound_is_read_to_its_end_before_the_413() throws IOException {
        String target = path(link("Drain Bound Ltd"));
        byte[] body = bodyOf(UploadServlet.MAX_DRAINED);

        PacedPost.Answer answer = post(target, body).header("Content-Length", Integer.toString(body.length)).send();

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("File too large", "</html>");
        assertThat(answer.head()).containsIgnoringCase("Connection: close");
    }

    @Test
    void a_chunked_cross_site_post_is_read_up_to_the_drain_bound_and_no_further_before_the_403() throws IOException {
        String target = path(link("Endless Chunks Ltd"));

        // The client sends exactly the bound and then nothing more, not even the last chunk: the server has read
        // all it will read and answers; reading on would wait for bytes that never come.
        PacedPost.Answer answer = post(target, bodyOf(UploadServlet.MAX_DRAINED))
                .header("Origin", "https://evil.example").withoutLastChunk().send();

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("Upload refused", "</html>");
    }

    @Test
    void oversized_uploads_count_against_the_sending_address_like_any_refusal() throws IOException {
        String target = path(link("Oversized Often Ltd"));
        for (int i = 0; i < 50; i++) {
            // Declared far beyond the drain bound and never sent: answered at once.
            PacedPost.Answer refused = post(target, null).header("Content-Length", Integer.toString(64 * 1024 * 1024))
                    .send();
            assertThat(refused.status()).as("oversized upload " + (i + 1)).isEqualTo(413);
        }

        PacedPost.Answer held = post("/upload/" + "Q".repeat(43), null).header("Content-Length", "0").send();

        assertThat(held.status()).isEqualTo(429);
        assertThat(held.head()).containsIgnoringCase("Retry-After: ");
        assertThat(browser.get("http://127.0.0.1:" + app.bot().port() + target).status()).as("the link itself stays open")
                .isEqualTo(200);
    }

    @Test
    void a_post_to_the_status_address_is_a_405_that_names_get_as_the_method_allowed() {
        String url = link("Status Post Ltd");

        UploadClient.Answer answer = browser.post(url + "/status", RequestBody.create(new byte[0],
                MediaType.get("multipart/form-data; boundary=" + BOUNDARY)), Map.of());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("GET");
        assertThat(answer.header("Connection")).isEqualTo("close");
    }

    @Test
    void a_detail_of_exactly_the_length_read_is_taken_whole_and_judged_by_the_forms_rules() {
        String url = link("Long Detail Ltd");
        String issuer = "7".repeat(UploadServlet.MAX_DETAIL_LENGTH);

        UploadClient.Answer answer = browser.uploadWith(url, "AuthKey_X.p8",
                "not a key".getBytes(StandardCharsets.UTF_8), Map.of("issuer_id", issuer), Map.of());

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("this has 1,024 characters",
                "name=\"issuer_id\" id=\"issuer_id\" value=\"" + issuer + "\"").doesNotContain("error reference");
    }

    @Test
    void the_waiting_pages_refresh_count_comes_from_check_and_anything_but_a_small_number_counts_as_the_last()
            throws InterruptedException {
        AscCustomer c = AscCustomer.create(app.asc(), "Waiting Ltd", FakeAsc.Role.APP_MANAGER, ISSUER, null);
        String url = app.driver().uploadLink(app.driver().open("Waiting Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId()));
        app.asc().failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(6)));
        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        assertThat(browser.get(url).body()).as("no query: the first refresh")
                .contains("content=\"3;url=?lang=en&amp;check=1\"");
        assertThat(browser.get(url + "?lang=fr").body()).as("a query without check: the first refresh")
                .contains("content=\"3;url=?lang=fr&amp;check=1\"");
        assertThat(browser.get(url + "?check=009").body()).as("three digits, a small number")
                .contains("content=\"3;url=?lang=en&amp;check=10\"");
        for (String last : new String[] {"?check=", "?check=abc", "?check=1000", "?check=-1"}) {
            assertThat(browser.get(url + last).body()).as(last).contains("Apple has not answered yet")
                    .doesNotContain("http-equiv=\"refresh\"");
        }

        // Apple's verdict is let in before the bot stops, as a customer's page would see it.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (browser.get(url + "/status").body().contains("\"checking\"") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
