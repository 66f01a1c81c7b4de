package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.PacedPost;
import com.asconboard.testing.RunningBot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers given before an upload's body was read (413 too large, 403 cross-site, 429 rate-limited)
 * reach a plain HTTP client that is still sending, instead of a reset connection: the server reads
 * and discards the rest of the body first.
 */
class UploadEarlyAnswersTest {
    static final String BOUNDARY = "----asconboardEarlyBoundary";
    static final int KIB_200 = 200 * 1024;

    @RegisterExtension
    static final RunningBot app = new RunningBot();

    @BeforeEach
    void freshRateLimitWindow() {
        app.clock().advance(Duration.ofMinutes(11));
    }

    static String path(String url) {
        return url.substring(url.indexOf("/upload/"));
    }

    static String freshLinkPath(String customer) {
        return path(app.driver().uploadLink(app.driver().open(customer, "Team", "TEAM123456", null, null)));
    }

    /** A multipart body whose one file part holds {@code size} bytes. */
    static byte[] multipart(int size) {
        byte[] filler = new byte[size];
        Arrays.fill(filler, (byte) 'A');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"; filename=\"AuthKey_BIG.p8\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(filler);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Sends a multipart POST as a plain client does (see {@link PacedPost}); {@code body} null: none. */
    static PacedPost.Answer send(String path, Map<String, String> headers, byte[] body, boolean chunked)
            throws IOException {
        PacedPost post = PacedPost.to(app.bot().port(), path)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(body);
        headers.forEach(post::header);
        return (chunked ? post.chunked() : post).send();
    }

    static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    @Test
    void a_200_kib_upload_from_a_plain_client_gets_the_413_page_5_times_of_5() throws IOException {
        String path = freshLinkPath("Big Upload Ltd");
        byte[] body = multipart(KIB_200);
        for (int attempt = 1; attempt <= 5; attempt++) {
            PacedPost.Answer answer = send(path, headers("Content-Length", Integer.toString(body.length)), body, false);

            assertThat(answer.status()).as("attempt " + attempt).isEqualTo(413);
            assertThat(answer.body()).as("attempt " + attempt).contains("File too large", "larger than 16 KiB",
                    "</html>");
            assertThat(answer.head()).containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void a_200_kib_chunked_upload_gets_the_413_page_in_the_clients_language() throws IOException {
        String path = freshLinkPath("Big Chunked GmbH");

        PacedPost.Answer answer = send(path, headers("Accept-Language", "de-DE,de;q=0.9,en;q=0.5"), multipart(KIB_200), true);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("<html lang=\"de\">", "Datei zu groß", "größer als 16 KiB");
    }

    @Test
    void an_upload_declared_far_larger_than_the_drain_bound_is_answered_without_waiting_for_it() throws IOException {
        String path = freshLinkPath("Huge Upload Ltd");

        // Nothing of the 64 MiB is sent: the server must neither wait for it nor read it.
        PacedPost.Answer answer = send(path, headers("Content-Length", Integer.toString(64 * 1024 * 1024)), null, false);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("File too large");
    }

    @Test
    void a_client_waiting_for_100_continue_gets_the_413_page_without_sending_its_body() throws IOException {
        String path = freshLinkPath("Continue Ltd");

        PacedPost.Answer answer = send(path, headers("Content-Length", Integer.toString(KIB_200), "Expect", "100-continue"), null,
                false);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.head()).doesNotContain("100 Continue");
    }

    @Test
    void a_cross_site_upload_still_sending_gets_the_403_page() throws IOException {
        String path = freshLinkPath("Cross Big Ltd");
        byte[] body = multipart(KIB_200);

        PacedPost.Answer answer = send(path, headers("Content-Length", Integer.toString(body.length), "Origin",
                "https://evil.example", "Accept-Language", "fr"), body, false);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("<html lang=\"fr\">", "Envoi refusé", "provenait d’un autre site");
    }

    @Test
    void a_rate_limited_upload_still_sending_gets_the_429_page() throws IOException {
        byte[] junk = multipart(10);
        for (int i = 0; i < 50; i++) {
            PacedPost.Answer refused = send("/upload/" + String.format("%043d", i),
                    headers("Content-Length", Integer.toString(junk.length), "Connection", "close"), junk, false);
            assertThat(refused.status()).isEqualTo(404);
        }
        byte[] body = multipart(KIB_200);

        PacedPost.Answer answer = send("/upload/" + "Z".repeat(43), headers("Content-Length", Integer.toString(body.length),
                "Accept-Language", "es"), body, false);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.head()).containsIgnoringCase("Retry-After: ");
        assertThat(answer.body()).contains("Demasiados intentos", "Vuelva a intentarlo dentro de 10 minutos.");
    }
}
