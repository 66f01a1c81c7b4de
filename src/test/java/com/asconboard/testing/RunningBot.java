package com.asconboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real bot running for a test against the fake Slack (and, if asked, the fake App Store Connect), with its
 * database in a folder of its own, and the clients that talk to it as Slack and a customer's browser would.
 *
 * <p>A test class declares one, with the settings it needs, and JUnit starts and stops it:
 * <pre>
 * &#64;RegisterExtension
 * final RunningBot app = new RunningBot().withAsc().with(env -&gt; env.put("ADMIN_USERS", ADMIN));
 * </pre>
 * An instance field gives each test a bot of its own; a {@code static} field gives the class one bot for all its
 * tests. The test's own {@code @BeforeEach} methods run once the bot is up, its {@code @AfterEach} methods before
 * it stops.
 *
 * <p>Why an extension: the one declaration above is the whole set-up, so a test class needs no fields,
 * {@code @BeforeEach} or {@code @AfterEach} of its own for it, and extends nothing; and what a test uses is named
 * where it uses it ({@code app.driver()}, {@code app.asc()}), so a reader never looks for fields in a superclass.
 * One bot per object: tests that run two instances side by side on one database (reliability/) name each of
 * them themselves.
 */
public final class RunningBot implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** The issuer of every key {@link #keyUploaded} makes. */
    public static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    private boolean withAsc;
    private boolean systemClock;
    private Consumer<Map<String, String>> settings = env -> {
    };
    private boolean perClass;

    private Path dir;
    private Clock clock;
    private FakeSlack slack;
    private FakeAsc asc;
    private Map<String, String> env;
    private AscOnboard bot;
    private SlackRequests requests;
    private TicketDriver driver;
    private final UploadClient browser = new UploadClient();
    private int accounts;

    /** Also runs the fake App Store Connect, the bot pointed at it ({@code ASC_API_URL}). */
    public RunningBot withAsc() {
        this.withAsc = true;
        return this;
    }

    /** Settings of this test class, applied on top of the test environment (and {@code ASC_API_URL}). */
    public RunningBot with(Consumer<Map<String, String>> settings) {
        this.settings = settings;
        return this;
    }

    /** Real time instead of a {@link MutableClock}: for tests that wait on retries and never move time. */
    public RunningBot onSystemClock() {
        this.systemClock = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
    }

    private void start() throws IOException {
        accounts = 0;
        dir = Files.createTempDirectory("asc-onboard-test");
        clock = systemClock ? Clock.systemUTC() : new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        slack = new FakeSlack();
        env = TestBot.environment(slack, dir);
        if (withAsc) {
            asc = new FakeAsc(clock);
            env.put("ASC_API_URL", asc.url());
        }
        settings.accept(env);
        startBot();
    }

    private void startBot() {
        bot = TestBot.start(env, clock);
        requests = new SlackRequests(bot.port());
        driver = new TicketDriver(slack, requests);
    }

    /** Stops the bot and starts it again on the same database and environment (changed by the test, perhaps). */
    public void restart() {
        bot.close();
        startBot();
    }

    private void stop() throws IOException {
        try {
            if (bot != null) {
                bot.close();
            }
            if (asc != null) {
                asc.close();
            }
            if (slack != null) {
                slack.close();
            }
        } finally {
            bot = null;
            asc = null;
            slack = null;
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A customer's account at the fake Apple with an App Manager key, a ticket for it, the key uploaded. */
    public record Keyed(TicketDriver.Opened ticket, FakeAsc.Account account, String keyId) {
    }

    /**
     * Adds an account named {@code customer} with an App Manager key, lets {@code beforeUpload} change the account
     * (add users, revoke the key...), opens a ticket for it and uploads the key through the ticket's link. It
     * returns once the page accepted the upload; the test awaits the verdict it expects in the thread.
     */
    public Keyed keyUploaded(String customer, BiConsumer<FakeAsc.Account, String> beforeUpload) {
        accounts++;
        String teamId = String.format("TEAM%06d", accounts);
        String keyId = String.format("AKEY%06d", accounts);
        FakeAsc.Account account = asc().addAccount(teamId, customer);
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, ISSUER, (ECPublicKey) pair.getPublic(), FakeAsc.Role.APP_MANAGER);
        beforeUpload.accept(account, keyId);
        TicketDriver.Opened ticket = driver.open(customer, customer, teamId, ISSUER, keyId);
        assertThat(browser.upload(driver.uploadLink(ticket), "AuthKey_" + keyId + ".p8",
                TestKeys.p8Pem(pair).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        return new Keyed(ticket, account, keyId);
    }

    /** {@link #keyUploaded(String, BiConsumer)} with the account as made: one working App Manager key. */
    public Keyed keyUploaded(String customer) {
        return keyUploaded(customer, (account, keyId) -> {
        });
    }

    /** The folder the bot keeps its database in. */
    public Path dir() {
        return dir;
    }

    public MutableClock clock() {
        if (clock instanceof MutableClock mutable) {
            return mutable;
        }
        throw new IllegalStateException("this bot runs on the system clock");
    }

    public FakeSlack slack() {
        return slack;
    }

    public FakeAsc asc() {
        if (asc == null) {
            throw new IllegalStateException("this bot runs without the fake App Store Connect: declare it withAsc()");
        }
        return asc;
    }

    /** The bot's environment; a change takes effect at the next {@link #restart()}. */
    public Map<String, String> env() {
        return env;
    }

    public AscOnboard bot() {
        return bot;
    }

    public SlackRequests requests() {
        return requests;
    }

    public TicketDriver driver() {
        return driver;
    }

    /** A customer's browser on the upload page. */
    public UploadClient browser() {
        return browser;
    }
}
