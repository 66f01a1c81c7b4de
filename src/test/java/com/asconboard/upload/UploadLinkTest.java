package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.AscCustomer;
import com.asconboard.testing.Bytes;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.LogCapture;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.asconboard.testing.TicketDriver;
import com.asconboard.testing.UploadClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The upload link's whole life, through the real server, the fake Slack and the database. */
class UploadLinkTest {
    @TempDir
    static Path dir;
    static FakeSlack slack;
    static MutableClock clock;
    static AscOnboard bot;
    static SlackRequests requests;
    static TicketDriver driver;
    static LogCapture logs;
    static FakeAsc asc;
    static final UploadClient browser = new UploadClient();
    static final List<String> secretsUploaded = new ArrayList<>();

    @BeforeAll
    static void start() {
        logs = new LogCapture();
        slack = new FakeSlack();
        asc = new FakeAsc();
        clock = MutableClock.startingNow();
        Map<String, String> env = TestBot.environment(slack, dir);
        env.put("ASC_API_URL", asc.url());
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
        bot = TestBot.start(env, clock);
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    @AfterAll
    static void stop() throws Exception {
        bot.close();
        asc.close();
        slack.close();
        logs.close();
    }

    @BeforeEach
    void clearCalls() {
        slack.reset();
        asc.clearFaults();
    }

    /** Opens a ticket; returns its number and status message ts. */
    static String[] ticket(String customer, String keyId) {
        TicketDriver.Opened opened = driver.open(customer, "Team", "TEAM123456", null, keyId);
        return new String[] {opened.number(), opened.ts()};
    }

    /** Clicks Upload link and returns the URL the engineer was given. */
    static String link(String[] ticket) {
        return driver.uploadLink(new TicketDriver.Opened(ticket[0], ticket[1]));
    }

    static String p8(String keyId, java.security.KeyPair pair) {
        String pem = TestKeys.p8Pem(pair);
        secretsUploaded.add(TestKeys.body(pem));
        return pem;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upload_link_goes_to_the_clicking_user_and_the_thread_records_it_without_the_token() {
        String[] t = ticket("Link Corp", "KEY1234567");
        String url = link(t);

        FakeSlack.Call answer = slack.calls("chat.postEphemeral").get(0);
        assertThat(answer.param("user")).isEqualTo(SlackRequests.USER);
        assertThat(answer.param("text")).contains("Forward to the customer", "works once", "App Manager");
        String token = url.substring(url.lastIndexOf('/') + 1);
        FakeSlack.Call reply = slack.await("chat.postMessage",
                c -> t[1].equals(c.param("thread_ts")) && c.param("text").contains("created an upload link"));
        assertThat(reply.param("text")).contains("<@" + SlackRequests.USER + ">", "expires");
        assertThat(slack.calls().stream().filter(c -> !c.method().equals("chat.postEphemeral"))
                .map(FakeSlack.Call::rawBody)).noneMatch(body -> body.contains(token));
        assertThat(logs.text()).doesNotContain(token);
    }

    @Test
    void page_shows_what_to_upload_and_reading_it_twice_changes_nothing() {
        String[] t = ticket("Page <Corp> & Sons", "PAGE123456");
        String url = link(t);
        slack.reset();

        UploadClient.Answer first = browser.get(url);
        UploadClient.Answer second = browser.get(url);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(first.body()).contains("ASC Onboard", "Page &lt;Corp&gt; &amp; Sons", "PAGE123456", "App Manager",
                "Team Keys", "enctype=\"multipart/form-data\"", "name=\"key\"", "AuthKey_PAGE123456.p8");
        assertThat(first.body()).doesNotContain("<Corp>");
        slack.assertNoCall("chat.postMessage", Duration.ofMillis(300));
        assertThat(slack.calls()).isEmpty();

        var pair = TestKeys.ecP256();
        assertThat(browser.upload(url, "AuthKey_PAGE123456.p8", utf8(p8("PAGE123456", pair))).status())
                .as("the link still works after being viewed").isEqualTo(200);
    }

    @Test
    void every_upload_response_carries_the_security_headers() {
        String url = link(ticket("Headers Inc", null));
        for (UploadClient.Answer answer : List.of(browser.get(url), browser.get(url + "x"),
                browser.upload(url, "x.p8", utf8("nonsense")))) {
            String csp = answer.header("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'", "script-src 'sha256-",
                    "style-src 'sha256-", "form-action 'self'").doesNotContain("unsafe-inline");
            assertThat(answer.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Strict-Transport-Security")).as("no HSTS over plain http").isNull();
        }
    }

    @Test
    void a_valid_key_is_accepted_once_and_the_ticket_shows_it() throws Exception {
        String[] t = ticket("Valid Co", "VALID12345");
        String url = link(t);
        var pair = TestKeys.ecP256();
        byte[] file = utf8(p8("VALID12345", pair));

        UploadClient.Answer accepted = browser.upload(url, "AuthKey_VALID12345.p8", file);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).contains("Key received", "AuthKey_VALID12345.p8 was received");
        FakeSlack.Call update = slack.await("chat.update", c -> c.param("blocks").contains("VALID12345.p8 received"));
        assertThat(update.param("ts")).isEqualTo(t[1]);
        assertThat(update.param("blocks")).contains("✅ *2. App Manager API key (.p8) handed over* — key AuthKey_VALID12345.p8 received");
        slack.await("chat.postMessage", c -> t[1].equals(c.param("thread_ts"))
                && c.param("text").startsWith("The customer uploaded AuthKey_VALID12345.p8"));

        UploadClient.Answer again = browser.upload(url, "AuthKey_VALID12345.p8", file);
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.body()).contains("already been used");
        assertThat(browser.get(url).status()).isEqualTo(410);
        slack.await("chat.postMessage", c -> c.param("text").contains("tried the upload link again"));
        browser.upload(url, "AuthKey_VALID12345.p8", file);
        slack.assertNoCall("chat.postMessage", Duration.ofMillis(300));
        assertThat(slack.calls("chat.postMessage").stream().filter(c -> c.param("text").contains("tried the upload"
                + " link again"))).hasSize(1);

        assertThat(sealedKeyFor(t[0])).isEqualTo(TestKeys.applePkcs8(pair));
    }

    @Test
    void key_id_unknown_on_the_ticket_is_taken_from_the_file_name() {
        String[] t = ticket("Nameless Key Ltd", null);
        String url = link(t);

        UploadClient.Answer accepted = browser.upload(url, "AuthKey_FROMFILE01.p8", utf8(p8("FROMFILE01",
                TestKeys.ecP256())));

        assertThat(accepted.body()).contains("We took the Key ID FROMFILE01 from the file name");
        slack.await("chat.postMessage", c -> c.param("text").contains("Key ID FROMFILE01 was taken from the file name"));
        assertThat(SlackRequests.text(requests.command("status ASC-" + t[0]))).contains("Key ID FROMFILE01");
    }

    @Test
    void an_expired_link_answers_410_and_the_thread_hears_once() {
        String[] t = ticket("Late Ltd", null);
        String url = link(t);
        slack.reset();

        clock.advance(Duration.ofHours(73));
        try {
            UploadClient.Answer page = browser.get(url);
            assertThat(page.status()).isEqualTo(410);
            assertThat(page.body()).contains("This link expired", "Ask your contact at the vendor for a new link");
            slack.assertNoCall("chat.postMessage", Duration.ofMillis(200), c -> t[1].equals(c.param("thread_ts")));

            assertThat(browser.upload(url, "AuthKey_X123456789.p8", utf8(p8("X", TestKeys.ecP256()))).status())
                    .isEqualTo(410);
            slack.await("chat.postMessage", c -> t[1].equals(c.param("thread_ts"))
                    && c.param("text").contains("expired unused"));
            browser.upload(url, "AuthKey_X123456789.p8", utf8("x"));
            // Other tests' links expire too when the clock jumps; this ticket's thread hears nothing more.
            slack.assertNoCall("chat.postMessage", Duration.ofMillis(300), c -> t[1].equals(c.param("thread_ts")));
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    @Test
    void a_new_link_revokes_the_previous_one() {
        String[] t = ticket("Twice Inc", null);
        String first = link(t);
        String second = link(t);

        UploadClient.Answer old = browser.get(first);
        assertThat(old.status()).isEqualTo(410);
        assertThat(old.body()).contains("replaced by a newer one");
        assertThat(browser.get(second).status()).isEqualTo(200);
    }

    @Test
    void unknown_or_malformed_tokens_answer_404() {
        String base = "http://127.0.0.1:" + bot.port() + "/upload/";
        assertThat(browser.get(base + "A".repeat(43)).status()).isEqualTo(404);
        assertThat(browser.get(base + "short").status()).isEqualTo(404);
        // The server refuses encoded path separators outright.
        assertThat(browser.get(base + "..%2F..%2Fetc%2Fpasswd").status()).isIn(400, 404);
        assertThat(browser.upload(base + "B".repeat(43), "AuthKey_X.p8", utf8("x")).status()).isEqualTo(404);
    }

    @Test
    void invalid_files_are_explained_and_leave_the_link_usable() {
        String[] t = ticket("Mistakes Ltd", "MISTAKE123");
        String url = link(t);

        UploadClient.Answer empty = browser.upload(url, "AuthKey_MISTAKE123.p8", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("The uploaded file is empty", "You can try 4 more times",
                "name=\"key\"");

        UploadClient.Answer cert = browser.upload(url, "AuthKey_MISTAKE123.p8", utf8(TestKeys.selfSignedCertPem()));
        assertThat(cert.status()).isEqualTo(400);
        assertThat(cert.body()).contains("This is a certificate, not an App Store Connect API key");

        UploadClient.Answer other = browser.upload(url, "AuthKey_OTHERKEY99.p8", utf8(p8("OTHERKEY99",
                TestKeys.ecP256())));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body()).contains("OTHERKEY99", "MISTAKE123");

        UploadClient.Answer accepted = browser.upload(url, "AuthKey_MISTAKE123.p8", utf8(p8("MISTAKE123",
                TestKeys.ecP256())));
        assertThat(accepted.status()).isEqualTo(200);
    }

    @Test
    void each_kind_of_wrong_file_gets_its_own_message() {
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("random bytes", new Object[] {"AuthKey_A.p8", new byte[] {1, 2, 3, (byte) 0xff, 0x7f},
                "binary file"});
        cases.put("p12", new Object[] {"AuthKey_A.p8", TestKeys.p12Bytes(), ".p12"});
        cases.put("encrypted", new Object[] {"AuthKey_A.p8", utf8(TestKeys.encryptedPkcs8Pem(
                TestKeys.ecP256().getPrivate())), "password-protected"});
        cases.put("rsa", new Object[] {"AuthKey_A.p8", utf8(TestKeys.pkcs8Pem(TestKeys.rsa2048().getPrivate())),
                "RSA"});
        cases.put("ed25519", new Object[] {"AuthKey_A.p8", utf8(TestKeys.pkcs8Pem(TestKeys.ed25519().getPrivate())),
                "Ed25519"});
        cases.put("p384", new Object[] {"AuthKey_A.p8", utf8(TestKeys.pkcs8Pem(TestKeys.ecP384().getPrivate())),
                "P-384"});
        cases.put("in-app purchase", new Object[] {"SubscriptionKey_ABCDEF1234.p8",
                utf8(TestKeys.p8Pem(TestKeys.ecP256())), "In-App Purchase key"});
        for (var c : cases.entrySet()) {
            String url = link(ticket("Case " + c.getKey(), null));
            UploadClient.Answer answer = browser.upload(url, (String) c.getValue()[0], (byte[]) c.getValue()[1]);
            assertThat(answer.status()).as(c.getKey()).isEqualTo(400);
            assertThat(answer.body()).as(c.getKey()).contains((String) c.getValue()[2]);
        }
    }

    @Test
    void sec1_and_odd_encodings_are_accepted() {
        var pair = TestKeys.ecP256();
        String sec1 = TestKeys.sec1Pem(pair);
        secretsUploaded.add(TestKeys.body(sec1));
        String url = link(ticket("Sec1 Ltd", null));
        String crlfWithBom = "\uFEFF  " + sec1.replace("\n", "\r\n");
        assertThat(browser.upload(url, "AuthKey_SEC1KEY001.p8", utf8(crlfWithBom)).status()).isEqualTo(200);

        var other = TestKeys.ecP256();
        String url2 = link(ticket("Utf16 Ltd", null));
        byte[] utf16 = ("\uFEFF" + p8("U", other)).getBytes(StandardCharsets.UTF_16LE);
        assertThat(browser.upload(url2, "AuthKey_UTF16KEY01.p8", utf16).status()).isEqualTo(200);
    }

    @Test
    void five_invalid_files_lock_the_link_and_the_thread_says_so() {
        String[] t = ticket("Locked Ltd", null);
        String url = link(t);
        for (int i = 1; i <= 4; i++) {
            assertThat(browser.upload(url, "AuthKey_L.p8", utf8("not a key " + i)).status()).isEqualTo(400);
        }
        UploadClient.Answer fifth = browser.upload(url, "AuthKey_L.p8", utf8("not a key 5"));
        assertThat(fifth.status()).isEqualTo(400);
        assertThat(fifth.body()).contains("now locked");
        slack.await("chat.postMessage", c -> t[1].equals(c.param("thread_ts"))
                && c.param("text").contains("locked after 5 invalid files"));

        UploadClient.Answer sixth = browser.upload(url, "AuthKey_L.p8", utf8(p8("L", TestKeys.ecP256())));
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.body()).contains("locked");
        assertThat(browser.get(url).body()).contains("locked");
    }

    @Test
    void uploads_over_16_kib_are_refused_before_parsing() {
        String url = link(ticket("Big Files Ltd", null));
        byte[] big = new byte[16 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'A');
        UploadClient.Answer answer = browser.upload(url, "AuthKey_BIG.p8", big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("larger than 16 KiB");

        // Without a Content-Length (chunked), the cap still holds while reading.
        okhttp3.RequestBody chunked = new okhttp3.RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return okhttp3.MediaType.get("multipart/form-data; boundary=xyz");
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                sink.write(big);
                sink.write(big);
            }
        };
        assertThat(browser.post(url, chunked, Map.of()).status()).isEqualTo(413);
        assertThat(browser.get(url).status()).as("the link stays usable").isEqualTo(200);
    }

    @Test
    void cross_site_posts_are_refused_with_403() {
        String url = link(ticket("Cross Site Ltd", null));
        byte[] file = utf8(p8("C", TestKeys.ecP256()));
        assertThat(browser.upload(url, "AuthKey_C.p8", file, Map.of("Origin", "https://evil.example")).status())
                .isEqualTo(403);
        assertThat(browser.upload(url, "AuthKey_C.p8", file, Map.of("Sec-Fetch-Site", "cross-site")).status())
                .isEqualTo(403);
        assertThat(browser.upload(url, "AuthKey_C.p8", file, Map.of("Origin", "null")).status()).isEqualTo(403);
        // What Chromium sends for the page's own form under Referrer-Policy: no-referrer.
        assertThat(browser.upload(link(ticket("Browser Ltd", null)), "AuthKey_CROSSSITE1.p8", file,
                Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin")).status()).isEqualTo(200);
        String origin = "http://127.0.0.1:" + bot.port();
        assertThat(browser.upload(url, "AuthKey_CROSSSITE1.p8", file, Map.of("Origin", origin, "Sec-Fetch-Site",
                "same-origin")).status()).isEqualTo(200);
    }

    @Test
    void a_safari_style_post_from_the_page_itself_is_accepted() {
        // Browsers without Sec-Fetch-Site (Safari before 16.4) send the page's real Origin under
        // Referrer-Policy: same-origin; under no-referrer they sent "Origin: null" and were refused.
        String url = link(ticket("Safari Ltd", null));
        assertThat(browser.get(url).header("Referrer-Policy")).isEqualTo("same-origin");
        String origin = "http://127.0.0.1:" + bot.port();

        UploadClient.Answer answer = browser.upload(url, "AuthKey_SAFARI1234.p8",
                utf8(p8("SAFARI1234", TestKeys.ecP256())),
                Map.of("Origin", origin, "Referer", url, "User-Agent", SAFARI_15));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void a_safari_style_post_from_another_site_is_refused() {
        String url = link(ticket("Safari Cross Ltd", null));
        byte[] file = utf8(p8("SAFARI5678", TestKeys.ecP256()));
        for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1:" + (bot.port() + 1))) {
            UploadClient.Answer answer = browser.upload(url, "AuthKey_SAFARI5678.p8", file,
                    Map.of("Origin", origin, "User-Agent", SAFARI_15));
            assertThat(answer.status()).as(origin).isEqualTo(403);
            assertThat(answer.body()).as(origin).contains("came from another site");
        }
        assertThat(browser.get(url).status()).as("nothing was spent").isEqualTo(200);
    }

    static final String SAFARI_15 = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/15.6 Safari/605.1.15";

    @Test
    void twenty_concurrent_valid_uploads_store_exactly_one_key() throws Exception {
        String[] t = ticket("Race Ltd", null);
        String url = link(t);
        List<byte[]> files = new ArrayList<>();
        List<byte[]> der = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            var pair = TestKeys.ecP256();
            files.add(utf8(p8("R", pair)));
            der.add(TestKeys.applePkcs8(pair));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (byte[] file : files) {
            results.add(pool.submit((Callable<Integer>) () -> {
                go.await();
                return browser.upload(url, "AuthKey_RACE000001.p8", file).status();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        pool.shutdown();

        assertThat(statuses).containsOnly(200, 410);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        byte[] stored = sealedKeyFor(t[0]);
        assertThat(der.stream().filter(d -> java.util.Arrays.equals(d, stored))).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM ticket_secrets WHERE ticket_id = " + t[0])).isEqualTo(1);
    }

    @Test
    void the_stored_key_is_bound_to_its_ticket() throws Exception {
        String[] t = ticket("Bound Ltd", null);
        browser.upload(link(t), "AuthKey_BOUND00001.p8", utf8(p8("B", TestKeys.ecP256())));
        slack.await("chat.update", c -> c.param("blocks").contains("BOUND00001.p8 received"));
        Sealed sealed = Sealed.fromBytes(sealedBytes(t[0]));
        SecretBox box = new SecretBox(Base64.getDecoder().decode(TestBot.MASTER_KEY));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.open(sealed,
                SecretBox.aadFor(Long.parseLong(t[0]) + 1, UploadLinks.KEY_PURPOSE)))
                .hasMessageContaining("authentication failed");
    }

    @Test
    void no_key_material_reaches_logs_slack_or_the_database_file() throws Exception {
        // Runs after uploads of this class have happened on the shared bot; adds one of its own.
        String[] t = ticket("Scan Ltd", null);
        var pair = TestKeys.ecP256();
        browser.upload(link(t), "AuthKey_SCAN000001.p8", utf8(p8("S", pair)));
        slack.await("chat.update", c -> c.param("blocks").contains("SCAN000001.p8 received"));

        byte[] der = TestKeys.applePkcs8(pair);
        String base64 = Base64.getEncoder().encodeToString(der);
        String body = TestKeys.body(TestKeys.p8Pem(pair));
        String everything = logs.text() + "\n" + slack.everythingSent();
        for (String secret : secretsUploaded) {
            assertThat(everything).doesNotContain(secret.replace("\n", "").substring(0, 40));
        }
        assertThat(everything).doesNotContain(base64.substring(0, 40), body.substring(0, 40), TestBot.MASTER_KEY);

        try (var c = DriverManager.getConnection(jdbcUrl())) {
            c.createStatement().execute("CHECKPOINT SYNC");
        }
        byte[] file = Files.readAllBytes(dir.resolve("db.mv.db"));
        String asText = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain(base64.substring(0, 40), body.substring(0, 40));
        assertThat(Bytes.indexOf(file, java.util.Arrays.copyOfRange(der, der.length - 40, der.length))).isEqualTo(-1);
    }

    static String jdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    }

    static byte[] sealedBytes(String ticket) throws Exception {
        try (var c = DriverManager.getConnection(jdbcUrl());
                var rs = c.createStatement().executeQuery(
                        "SELECT sealed FROM ticket_secrets WHERE purpose = 'p8' AND ticket_id = " + ticket)) {
            assertThat(rs.next()).as("a key is stored for ASC-" + ticket).isTrue();
            return rs.getBytes(1);
        }
    }

    static byte[] sealedKeyFor(String ticket) throws Exception {
        SecretBox box = new SecretBox(Base64.getDecoder().decode(TestBot.MASTER_KEY));
        return box.open(Sealed.fromBytes(sealedBytes(ticket)), SecretBox.aadFor(Long.parseLong(ticket),
                UploadLinks.KEY_PURPOSE));
    }

    /** The kinds of the ticket's events whose detail starts with {@code detail}, oldest first. */
    static List<String> eventKinds(TicketDriver.Opened ticket, String detail) throws Exception {
        List<String> kinds = new ArrayList<>();
        try (var c = DriverManager.getConnection(jdbcUrl()); var query = c.prepareStatement(
                "SELECT kind FROM ticket_events WHERE ticket_id = ? AND detail LIKE ? ORDER BY id")) {
            query.setLong(1, Long.parseLong(ticket.number()));
            query.setString(2, detail + "%");
            try (var rs = query.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
        }
        return kinds;
    }

    static long count(String sql) throws Exception {
        try (var c = DriverManager.getConnection(jdbcUrl()); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------- the details and Apple's verdict

    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String VENDOR = "builds@vendor.example";

    /** An account in the fake with one key of {@code role} and the vendor invited; its key is one of the secrets. */
    static AscCustomer customer(String teamName, FakeAsc.Role role) {
        return uploaded(AscCustomer.create(asc, teamName, role, ISSUER, VENDOR));
    }

    /** Counts the customer's key among the secrets that must not leak. */
    static AscCustomer uploaded(AscCustomer customer) {
        secretsUploaded.add(TestKeys.body(customer.pem()));
        return customer;
    }

    static JsonObject status(String url, String lang) {
        UploadClient.Answer answer = browser.get(url + "/status?lang=" + lang);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        return JsonParser.parseString(answer.body()).getAsJsonObject();
    }

    /** Asks the link's status endpoint, as the page's script does, until Apple's verdict is in. */
    static JsonObject awaitVerdict(String url, String lang) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonObject status = status(url, lang);
        while ("checking".equals(status.get("state").getAsString()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = status(url, lang);
        }
        return status;
    }

    static int indexOfReply(TicketDriver.Opened ticket, String text) {
        List<FakeSlack.Call> calls = slack.calls("chat.postMessage");
        for (int i = 0; i < calls.size(); i++) {
            if (ticket.ts().equals(calls.get(i).param("thread_ts")) && calls.get(i).param("text").contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void the_issuer_id_entered_next_to_the_key_goes_to_the_ticket_and_apples_verdict_follows_on_the_page()
            throws Exception {
        AscCustomer c = customer("Entered Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Entered Ltd", c.teamName(), c.teamId(), null, null);
        String url = driver.uploadLink(ticket);

        String form = browser.get(url).body();
        assertThat(form).contains("<label for=\"issuer_id\">Issuer ID</label>", "name=\"issuer_id\"",
                "aria-required=\"true\"", "aria-describedby=\"issuer_id-hint\"");
        assertThat(form).as("the ticket has its Team ID and Team Name").doesNotContain("name=\"team_id\"",
                "name=\"team_name\"");

        UploadClient.Answer answer = browser.uploadWith(url, c.fileName(), c.file(),
                Map.of("issuer_id", " " + ISSUER.toUpperCase() + " "), Map.of());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains(c.fileName() + " was received", "Apple is checking the key now",
                "<noscript><meta http-equiv=\"refresh\" content=\"3;url=?lang=en&amp;check=1\"></noscript>");
        driver.reply(ticket, "The customer entered the Issuer ID " + ISSUER + " on the upload page");
        driver.reply(ticket, "The customer uploaded " + c.fileName());
        assertThat(indexOfReply(ticket, "entered the Issuer ID")).isLessThan(indexOfReply(ticket, "uploaded "
                + c.fileName()));
        JsonObject verdict = awaitVerdict(url, "en");
        assertThat(verdict.get("state").getAsString()).isEqualTo("verified");
        assertThat(verdict.get("text").getAsString()).isEqualTo("Apple accepts the key: ASC Onboard can now work "
                + "with your App Store Connect account.");
        UploadClient.Answer page = browser.get(url);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Apple accepts your key", "Nothing more is needed from you")
                .doesNotContain("name=\"key\"");
        assertThat(driver.reply(ticket, "told the customer on the upload page that Apple accepts their key")
                .param("text")).as("nothing left for the customer to do").endsWith("Apple accepts their key; the "
                        + "upload link is spent");
        assertThat(eventKinds(ticket, "told the customer")).containsExactly("VERIFIED");
        assertThat(SlackRequests.text(requests.command("status " + ticket.key()))).contains(ISSUER);
        assertThat(browser.upload(url, c.fileName(), c.file()).status()).as("the link is spent").isEqualTo(410);
    }

    @Test
    void a_key_apple_accepts_lists_what_the_customer_still_has_to_do_on_the_page_and_in_the_thread()
            throws Exception {
        // No vendor user yet, and all three slots taken.
        AscCustomer c = uploaded(AscCustomer.create(asc, "Tasks Ltd", FakeAsc.Role.APP_MANAGER, ISSUER, null));
        for (int i = 2; i <= 3; i++) {
            c.account().addCertificate("Apple Distribution: Tasks Ltd " + i, FakeAsc.CertificateType.DISTRIBUTION,
                    java.time.Instant.now().plus(Duration.ofDays(300)));
        }
        TicketDriver.Opened ticket = driver.open("Tasks Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);

        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("verified");
        assertThat(browser.get(url).body()).contains("Apple accepts your key", "Still to do on your side",
                "invite " + VENDOR).doesNotContain("Nothing more is needed");
        assertThat(driver.reply(ticket, "told the customer on the upload page that Apple accepts their key")
                .param("text")).endsWith("the upload link is spent. Still to do on their side, as the page lists: "
                        + "invite the vendor user with certificate access; free a distribution-certificate slot");
        assertThat(eventKinds(ticket, "told the customer")).containsExactly("VERIFIED");
    }

    @Test
    void a_malformed_issuer_id_is_refused_in_the_pages_language_without_counting_as_a_wrong_file() throws Exception {
        AscCustomer c = customer("Faute SARL", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Faute SARL", null, null, null, c.keyId());
        String url = driver.uploadLink(ticket);
        slack.reset();

        UploadClient.Answer refused = browser.uploadWith(url + "?lang=fr", c.fileName(), c.file(),
                Map.of("issuer_id", "1234", "team_id", "ABC", "team_name", "Faute"), Map.of());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("Vérifiez les informations saisies",
                "<a href=\"#issuer_id\">Un ID de l’émetteur est un UUID",
                "<a href=\"#team_id\">Un ID d’équipe compte exactement 10 lettres ou chiffres",
                "id=\"issuer_id-error\"", "aria-describedby=\"issuer_id-hint issuer_id-error\" aria-invalid=\"true\"",
                "value=\"1234\"", "value=\"Faute\"");
        assertThat(refused.body()).as("one problem per field").containsOnlyOnce("href=\"#issuer_id\"");
        assertThat(refused.body()).as("the team name was fine").doesNotContain("id=\"team_name-error\"");
        assertThat(count("SELECT COUNT(*) FROM ticket_secrets WHERE ticket_id = " + ticket.number()))
                .as("nothing was stored").isZero();
        UploadClient.Answer empty = browser.uploadWith(url + "?lang=de", c.fileName(), c.file(),
                Map.of("issuer_id", ""), Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("Geben Sie die Aussteller-ID ein");

        UploadClient.Answer wrongFile = browser.upload(url, c.fileName(), utf8("not a key"));
        assertThat(wrongFile.body()).as("the refused details did not count").contains("You can try 4 more times");
        slack.assertNoCall("chat.postMessage", Duration.ofMillis(300));
    }

    @Test
    void a_key_apple_rejects_reopens_the_link_and_a_corrected_key_is_verified() throws Exception {
        // A Sales key cannot reach the certificates: Apple answers 403 "does not allow this request".
        AscCustomer c = customer("Corrected Ltd", FakeAsc.Role.SALES);
        TicketDriver.Opened ticket = driver.open("Corrected Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);

        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        JsonObject verdict = awaitVerdict(url, "en");
        assertThat(verdict.get("state").getAsString()).isEqualTo("rejected");
        assertThat(verdict.get("text").getAsString()).contains("it cannot manage certificates",
                "Generate a new Team key with the access App Manager", "You can try 4 more times with this link.");
        driver.reply(ticket, "Apple rejected the key the customer uploaded: the key's role is too low: a new App "
                + "Manager key is needed; their link stays open for a corrected key, 4 tries left");
        UploadClient.Answer page = browser.get(url);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("The key does not work yet", "it cannot manage certificates",
                "name=\"key\"", "AuthKey_&lt;Key ID&gt;.p8").doesNotContain("We expect the key with Key ID");

        AscCustomer corrected = uploaded(c.newKey(FakeAsc.Role.APP_MANAGER));
        UploadClient.Answer again = browser.upload(url, corrected.fileName(), corrected.file());
        assertThat(again.status()).as(again.body()).isEqualTo(200);

        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("verified");
        driver.reply(ticket, "The customer uploaded a corrected key " + corrected.fileName() + " through the secure "
                + "link");
        assertThat(driver.reply(ticket, "uploaded a corrected key").param("text"))
                .contains("replacing the key Apple rejected", "its Key ID " + corrected.keyId() + " replaces "
                        + c.keyId());
        assertThat(sealedKeyFor(ticket.number())).isEqualTo(TestKeys.applePkcs8(corrected.pair()));
        assertThat(SlackRequests.text(requests.command("status " + ticket.key()))).contains(corrected.keyId());
        assertThat(browser.upload(url, corrected.fileName(), corrected.file()).status()).isEqualTo(410);
    }

    @Test
    void an_issuer_id_apple_does_not_know_is_asked_again_and_the_corrected_one_is_verified() throws Exception {
        AscCustomer c = customer("Typo Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Typo Ltd", c.teamName(), c.teamId(), null, c.keyId());
        String url = driver.uploadLink(ticket);
        String typo = "57246542-96fe-1a63-e053-0824d011072b";

        browser.uploadWith(url, c.fileName(), c.file(), Map.of("issuer_id", typo), Map.of());

        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("rejected");
        String page = browser.get(url).body();
        assertThat(page).contains("Apple does not accept this key", "name=\"issuer_id\"", "value=\"" + typo + "\"",
                "Apple did not accept the key with this Issuer ID");
        UploadClient.Answer again = browser.uploadWith(url, c.fileName(), c.file(), Map.of("issuer_id", ISSUER),
                Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("verified");
        driver.reply(ticket, "entered the Issuer ID " + ISSUER + " (replacing " + typo + ") on the upload page");
    }

    @Test
    void the_fifth_failed_attempt_locks_the_link_when_it_is_a_key_apple_rejects() throws Exception {
        AscCustomer c = customer("Fifth Ltd", FakeAsc.Role.SALES);
        TicketDriver.Opened ticket = driver.open("Fifth Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);
        for (int i = 1; i <= 4; i++) {
            assertThat(browser.upload(url, c.fileName(), utf8("not a key " + i)).status()).isEqualTo(400);
        }

        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        JsonObject verdict = awaitVerdict(url, "es");
        assertThat(verdict.get("state").getAsString()).isEqualTo("locked");
        assertThat(verdict.get("text").getAsString()).contains("no puede gestionar certificados",
                "Este enlace queda bloqueado tras 5 intentos");
        driver.reply(ticket, "that was the 5th failed attempt, so the upload link is now locked");
        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(429);
        assertThat(browser.get(url).body()).contains("This link is now locked after 5 attempts");
    }

    @Test
    void when_apple_cannot_be_reached_the_key_is_stored_the_link_spent_and_the_vendor_follows_up() throws Exception {
        AscCustomer c = customer("Offline Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Offline Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);
        asc.failNext("/v1/apps", 20, FakeAsc.Fault.unavailable());

        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        JsonObject verdict = awaitVerdict(url, "en");
        assertThat(verdict.get("state").getAsString()).isEqualTo("stored");
        assertThat(verdict.get("text").getAsString()).contains("stored encrypted", "Apple could not be reached",
                "ASC Onboard will check it again");
        UploadClient.Answer page = browser.get(url);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Key received", "Apple could not be reached").doesNotContain("name=\"key\"");
        assertThat(driver.reply(ticket, "told the customer on the upload page that their key is stored and that the "
                + "vendor will follow up").param("text")).contains("as Apple could not be asked (could not tell: ");
        assertThat(eventKinds(ticket, "told the customer")).containsExactly("NOT_VERIFIED");
        assertThat(sealedKeyFor(ticket.number())).isEqualTo(TestKeys.applePkcs8(c.pair()));
        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(410);
    }

    @Test
    void when_apple_accepts_the_key_but_cannot_list_the_certificates_the_thread_says_which_check_did_not_finish()
            throws Exception {
        AscCustomer c = customer("Halfway Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Halfway Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);
        asc.failNext("/v1/certificates", 20, FakeAsc.Fault.unavailable());

        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("stored");
        String told = driver.reply(ticket, "told the customer on the upload page that their key is stored")
                .param("text");
        String why = told.substring(told.indexOf("as Apple could not be asked (") + "as Apple could not be asked ("
                .length());
        assertThat(why).as("the certificates' check, not the authentication that passed")
                .startsWith("could not tell: App Store Connect answered HTTP 503)");
        assertThat(eventKinds(ticket, "told the customer")).containsExactly("NOT_VERIFIED");
    }

    @Test
    void while_apple_is_asked_another_upload_is_refused_and_the_page_refreshes_itself_a_few_times()
            throws Exception {
        AscCustomer c = customer("Patient Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Patient Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);
        asc.failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(6)));
        assertThat(browser.upload(url, c.fileName(), c.file()).status()).isEqualTo(200);

        UploadClient.Answer second = browser.upload(url, c.fileName(), c.file());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body()).contains("being checked with Apple right now");
        UploadClient.Answer first = browser.get(url + "?lang=de");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("Ihr Schlüssel wird bei Apple geprüft",
                "content=\"3;url=?lang=de&amp;check=1\"", "data-poll=");
        assertThat(browser.get(url + "?lang=de&check=4").body()).contains("content=\"3;url=?lang=de&amp;check=5\"");
        UploadClient.Answer last = browser.get(url + "?lang=de&check=10");
        assertThat(last.body()).contains("Ihr Schlüssel wird noch geprüft", "Apple hat noch nicht geantwortet",
                "href=\"?lang=de\">Erneut prüfen</a>").doesNotContain("http-equiv=\"refresh\"", "data-poll=");
        assertThat(status(url, "en").get("state").getAsString()).isEqualTo("checking");

        assertThat(awaitVerdict(url, "en").get("state").getAsString()).isEqualTo("verified");
    }

    @Test
    void the_status_endpoint_tells_the_state_without_any_secret_and_changes_nothing() throws Exception {
        AscCustomer c = customer("Quiet Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened ticket = driver.open("Quiet Ltd", c.teamName(), c.teamId(), ISSUER, c.keyId());
        String url = driver.uploadLink(ticket);
        String token = url.substring(url.lastIndexOf('/') + 1);
        slack.reset();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(browser.get(url + "/status?lang=de").body());
        }
        JsonObject open = JsonParser.parseString(answers.get(0)).getAsJsonObject();
        assertThat(open.keySet()).containsExactlyInAnyOrder("state", "text");
        assertThat(open.get("state").getAsString()).isEqualTo("open");
        assertThat(open.get("text").getAsString())
                .isEqualTo("Ihren API-Schlüssel für App Store Connect übermitteln");
        slack.assertNoCall("chat.postMessage", Duration.ofMillis(300));
        assertThat(browser.upload(url, c.fileName(), utf8("not a key")).body()).as("no attempt was counted")
                .contains("You can try 4 more times");

        browser.upload(url, c.fileName(), c.file());
        answers.add(awaitVerdict(url, "fr").toString());
        for (String answer : answers) {
            assertThat(answer).doesNotContain(token, ISSUER, c.keyId(), c.teamId(), TestBot.MASTER_KEY,
                    TestKeys.body(TestKeys.p8Pem(c.pair())).substring(0, 40));
        }
        UploadClient.Answer unknown = browser.get(url.substring(0, url.lastIndexOf('/') + 1) + "N".repeat(43)
                + "/status");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"state\":\"not_found\"");
        assertThat(browser.post(url + "/status", okhttp3.RequestBody.create(new byte[0], null), Map.of()).status())
                .isEqualTo(405);
    }
}
