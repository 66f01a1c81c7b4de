package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.UploadClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an attacker or a confused browser can send to {@code /upload/...}: path tricks in the token,
 * odd file names, broken multipart bodies. Each gets a 4xx with a sentence (or, for a valid key under
 * an odd name, a normal 200), never a 500, and nothing is ever written to disk.
 */
class UploadAbuseTest {
    static final String BOUNDARY = "----asconboardAbuseBoundary";

    @RegisterExtension
    static final RunningBot app = new RunningBot();
    static final AtomicInteger tickets = new AtomicInteger();

    Set<String> tempBefore;
    Set<String> workingDirBefore;

    @BeforeEach
    void snapshotDisks() throws IOException {
        // Each test starts with a fresh per-address window of refused uploads (50 per 10 minutes).
        app.clock().advance(Duration.ofMinutes(11));
        tempBefore = list(Paths.get(System.getProperty("java.io.tmpdir")));
        workingDirBefore = list(Paths.get("").toAbsolutePath());
    }

    @AfterEach
    void nothingWasWrittenToDisk() throws IOException {
        assertThat(list(Paths.get(System.getProperty("java.io.tmpdir")))).as("the JVM temp dir")
                .isEqualTo(tempBefore);
        assertThat(list(Paths.get("").toAbsolutePath())).as("the working directory").isEqualTo(workingDirBefore);
        try (Stream<Path> files = Files.walk(app.dir())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("the bot's own folder holds its database only").allMatch(name -> name.startsWith("db."));
        }
    }

    static Set<String> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A fresh ticket with a Key ID, and its upload link. */
    static String freshLink() {
        String keyId = String.format("ABUSE%05d", tickets.incrementAndGet());
        return app.driver().uploadLink(app.driver().open("Abuse " + keyId, "Team", "TEAM123456", null, keyId));
    }

    static byte[] validKey() {
        return TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One part named {@code key} whose Content-Disposition line carries {@code fileNameBytes} as they are. */
    static byte[] keyPart(byte[] fileNameBytes, byte[] content) {
        return concat(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"; filename=\""),
                fileNameBytes, bytes("\"\r\nContent-Type: application/octet-stream\r\n\r\n"), content,
                bytes("\r\n--" + BOUNDARY + "--\r\n"));
    }

    /** Sends {@code contentType} as given: OkHttp's own parsing would refuse the malformed ones. */
    static UploadClient.Answer post(String url, String contentType, byte[] body) {
        return app.browser().post(url, RequestBody.create(body, (MediaType) null),
                contentType == null ? Map.of() : Map.of("Content-Type", contentType));
    }

    static UploadClient.Answer postMultipart(String url, byte[] body) {
        return post(url, "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    static void assertNoServerInsides(String what, String body) {
        assertThat(body).as(what).doesNotContain("Exception", "\tat ", "at org.", "at com.", "root:x:0:0");
    }

    /** The status line and body of a request sent byte for byte, as no well-behaved client would. */
    record Raw(int status, String body) {
    }

    static Raw raw(String method, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", app.bot().port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String length = method.equals("POST") ? "Content-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: 0\r\n" : "";
            out.write(("" + method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + app.bot().port() + "\r\n" + length
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String statusLine = response.lines().findFirst().orElse("");
            assertThat(statusLine).as(method + " " + target).startsWith("HTTP/1.1 ");
            return new Raw(Integer.parseInt(statusLine.substring(9, 12)), response);
        }
    }

    @Test
    void path_tricks_in_the_token_find_no_link_and_no_file() throws IOException {
        String url = freshLink();
        String token = url.substring(url.lastIndexOf('/') + 1);
        List<String> targets = List.of("/upload/..%2F..", "/upload/..%2F..%2F..%2Fetc%2Fpasswd",
                "/upload/../../etc/passwd", "/upload/%2e%2e/%2e%2e/etc/passwd", "/upload/..;/..;/etc/passwd",
                "/upload/..%5C..%5Cetc%5Cpasswd", "/upload/%00", "/upload/" + token + "%00",
                "/upload/" + token + "%00.p8", "/upload/%2F" + token, "/upload/" + token + "/..",
                "/upload/" + "A".repeat(4_000));
        for (String target : targets) {
            for (String method : List.of("GET", "POST")) {
                Raw answer = raw(method, target);
                assertThat(answer.status()).as(method + " " + target).isIn(400, 404);
                assertNoServerInsides(method + " " + target, answer.body());
            }
        }
        assertThat(app.browser().get(url).status()).as("the real link was not touched").isEqualTo(200);
        assertThat(app.browser().upload(url, "key.p8", validKey()).status()).isEqualTo(200);
    }

    @Test
    void odd_file_names_are_only_labels() {
        Map<String, byte[]> names = new java.util.LinkedHashMap<>();
        names.put("parent folders", bytes("../../x.p8"));
        names.put("absolute path", bytes("/etc/passwd"));
        names.put("windows parent folders", bytes("..\\..\\x.p8"));
        names.put("very long", bytes("AuthKey_" + "L".repeat(5_000) + ".p8"));
        names.put("escaped quote", bytes("a\\\"b.p8"));
        names.put("markup", bytes("<script>alert(1)</script>.p8"));
        names.put("header injection", bytes("x.p8\r\nContent-Type: text/html"));
        names.put("NUL", concat(bytes("x.p8"), new byte[] {0}, bytes(".txt")));
        names.put("unicode", bytes("ключ 🔑 ‮8p.txt"));
        names.put("not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '.', 'p', '8'});
        for (var name : names.entrySet()) {
            String url = freshLink();
            UploadClient.Answer answer = postMultipart(url, keyPart(name.getValue(), validKey()));
            assertThat(answer.status()).as(name.getKey() + ": " + answer.body()).isIn(200, 400);
            assertNoServerInsides(name.getKey(), answer.body());
            assertThat(answer.body()).as(name.getKey()).doesNotContain("<script>alert", "../", "passwd");
            if (answer.status() == 200) {
                assertThat(answer.body()).as(name.getKey()).contains("AuthKey_ABUSE");
            } else {
                assertThat(app.browser().upload(url, "key.p8", validKey()).status())
                        .as(name.getKey() + ": the link stays usable").isEqualTo(200);
            }
        }
    }

    @Test
    void broken_multipart_bodies_are_a_400_that_says_what_to_send() {
        String url = freshLink();
        byte[] key = validKey();
        byte[] good = keyPart(bytes("key.p8"), key);
        String formUpload = "as a form upload (multipart/form-data)";
        String noFile = "No file was attached";
        String malformed = "The upload was malformed";

        record Case(String what, String contentType, byte[] body, String message) {
        }
        StringBuilder manyParts = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            manyParts.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"f").append(i)
                    .append("\"\r\n\r\nx\r\n");
        }
        manyParts.append("--").append(BOUNDARY).append("--\r\n");
        byte[] longHeader = concat(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"; "
                + "filename=\"key.p8\"\r\nX-Padding: " + "p".repeat(10 * 1024) + "\r\n\r\n"), key,
                bytes("\r\n--" + BOUNDARY + "--\r\n"));
        byte[] otherField = new String(good, StandardCharsets.UTF_8).replace("name=\"key\"", "name=\"file\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] namelessPart = new String(good, StandardCharsets.UTF_8)
                .replace("Content-Disposition: form-data; name=\"key\"; ", "Content-Disposition: form-data; ")
                .getBytes(StandardCharsets.UTF_8);
        List<Case> cases = List.of(
                new Case("no boundary", "multipart/form-data", good, formUpload),
                new Case("empty boundary", "multipart/form-data; boundary=", good, formUpload),
                new Case("unterminated quote", "multipart/form-data; boundary=\"" + BOUNDARY, good, formUpload),
                new Case("JSON", "application/json", bytes("{\"key\":\"" + TestKeys.body(new String(key,
                        StandardCharsets.UTF_8)) + "\"}"), formUpload),
                new Case("plain text", "text/plain", key, formUpload),
                new Case("url-encoded form", "application/x-www-form-urlencoded", bytes("key=x"), formUpload),
                new Case("no content type", null, good, formUpload),
                new Case("another boundary", "multipart/form-data; boundary=somethingElse", good, malformed),
                new Case("empty body", "multipart/form-data; boundary=" + BOUNDARY, new byte[0], malformed),
                new Case("cut off", "multipart/form-data; boundary=" + BOUNDARY,
                        java.util.Arrays.copyOf(good, good.length / 2), malformed),
                new Case("many parts", "multipart/form-data; boundary=" + BOUNDARY, bytes(manyParts.toString()),
                        malformed),
                new Case("10 KiB part header", "multipart/form-data; boundary=" + BOUNDARY, longHeader, malformed),
                new Case("no key field", "multipart/form-data; boundary=" + BOUNDARY, otherField, noFile),
                new Case("part without a name", "multipart/form-data; boundary=" + BOUNDARY, namelessPart, noFile));
        for (Case c : cases) {
            UploadClient.Answer answer = post(url, c.contentType(), c.body());
            assertThat(answer.status()).as(c.what() + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(c.what()).contains(c.message());
            assertNoServerInsides(c.what(), answer.body());
        }
        // None of these was a key file, so none counts against the link's 5 wrong files.
        assertThat(app.browser().get(url).body()).doesNotContain("more time");
        assertThat(postMultipart(url, good).status()).as("the link stays usable").isEqualTo(200);
    }

    @Test
    void a_key_nested_thousands_of_levels_deep_is_explained() {
        // 3 000 nested SEQUENCEs: under the 16 KiB cap, and deeper than a request thread's stack can follow.
        byte[] der = {0x30, 0x00};
        for (int level = 1; level < 3_000; level++) {
            int length = der.length;
            byte[] head = length < 128 ? new byte[] {0x30, (byte) length}
                    : length < 256 ? new byte[] {0x30, (byte) 0x81, (byte) length}
                    : new byte[] {0x30, (byte) 0x82, (byte) (length >> 8), (byte) length};
            der = concat(head, der);
        }
        String url = freshLink();
        UploadClient.Answer answer = app.browser().upload(url, "key.p8", bytes("-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("The key file is damaged");
        assertThat(app.browser().upload(url, "key.p8", validKey()).status()).isEqualTo(200);
    }

    @Test
    void an_empty_key_block_is_explained() {
        String url = freshLink();
        String empty = "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,NOTHING\n-----END PRIVATE KEY-----\n";
        for (String body : List.of(empty, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
                "-----BEGIN EC PRIVATE KEY-----\n-----END EC PRIVATE KEY-----\n")) {
            UploadClient.Answer answer = app.browser().upload(url, "key.p8", bytes(body));
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.body()).as(body).contains("The key file is damaged");
        }
        assertThat(app.browser().upload(url, "key.p8", validKey()).status()).isEqualTo(200);
    }
}
