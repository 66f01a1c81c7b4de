package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page in a real browser: what the HTTP-level tests cannot see is whether Chromium
 * actually applies the inline style and runs the inline script under the page's
 * Content-Security-Policy, and whether a file picked in the form arrives as the server expects.
 */
class UploadPageBrowserTest {
    static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/upload/([A-Za-z0-9_-]{43})");
    // The Debian packages' paths; set explicitly so Selenium never looks for (or downloads) a browser.
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static FakeSlack slack;
    static AscOnboard bot;
    static SlackRequests requests;
    static ChromeDriver driver;
    static WebDriverWait wait;
    /** Browser console entries of the current test; the driver hands each entry out only once. */
    static final List<LogEntry> console = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertThat(Files.isExecutable(tool))
                    .withFailMessage("%s is missing: install the Debian packages chromium and chromium-driver"
                            + " (apt-get install chromium chromium-driver) to run the browser tests", tool)
                    .isTrue();
        }
        slack = new FakeSlack();
        bot = TestBot.start(TestBot.environment(slack, dir.resolve("bot")), MutableClock.startingNow());
        requests = new SlackRequests(bot.port());

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")).toAbsolutePath());
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (bot != null) {
                bot.close();
            }
            if (slack != null) {
                slack.close();
            }
        }
    }

    @BeforeEach
    void forgetEarlierConsole() {
        slack.reset();
        readConsole();
        console.clear();
    }

    /** Opens a ticket; returns its number and status message ts. */
    static String[] ticket(String customer, String keyId) {
        requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                SlackRequests.form(customer, "Team", "TEAM123456", null, keyId));
        FakeSlack.Call status = slack.await("chat.postMessage", c -> c.param("thread_ts") == null
                && c.param("text").contains(customer + " — "));
        String number = status.param("text").replaceAll("^ASC-(\\d+).*", "$1");
        String ts = slack.await("chat.postMessage", c -> c.param("thread_ts") != null
                && c.param("text").contains("opened ASC-" + number + " ")).param("thread_ts");
        return new String[] {number, ts};
    }

    /** Clicks Upload link and returns the URL the engineer was given. */
    static String link(String[] ticket) {
        int before = slack.calls("chat.postEphemeral").size();
        requests.click("ticket_upload_link", ticket[0], ticket[1]);
        FakeSlack.Call answer = slack.await("chat.postEphemeral", before + 1, c -> true).get(before);
        Matcher m = LINK.matcher(answer.param("text"));
        assertThat(m.find()).as("the answer holds the link: " + answer.param("text")).isTrue();
        return m.group();
    }

    /** Writes {@code content} to a file of that name, as the customer's download would be. */
    static Path file(String name, String content) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("files").resolve(Long.toString(System.nanoTime())));
        return Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }

    static String visibleText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Picks the file in the form and sends it; returns once the answer page has replaced the form page. */
    static void send(Path file) {
        WebElement form = driver.findElement(By.id("upload"));
        driver.findElement(By.cssSelector("input[name=key]")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
    }

    static List<LogEntry> readConsole() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return console;
    }

    static String describe(List<LogEntry> entries) {
        return entries.stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining("\n"));
    }

    /**
     * Nothing went wrong in the page, and in particular the policy refused neither style nor script.
     * Chromium reports every error status as a failed load; those of {@code expectedErrorStatus} are the
     * answer the test asked for, and /favicon.ico is requested by the browser itself (the page has no icon).
     */
    static void assertCleanConsole(String... expectedErrorStatus) {
        List<String> expected = new ArrayList<>(List.of(expectedErrorStatus));
        expected.add("http://127.0.0.1:" + bot.port() + "/favicon.ico");
        List<LogEntry> entries = readConsole();
        assertThat(entries).as("console errors:\n" + describe(entries))
                .noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()
                        && expected.stream().noneMatch(url -> e.getMessage().startsWith(url
                                + " - Failed to load resource: the server responded with a status of ")));
        assertThat(entries).as("policy violations:\n" + describe(entries))
                .noneMatch(UploadPageBrowserTest::isPolicyViolation);
    }

    /** Older Chromium words it "Refused to execute inline script ...", newer "... violates the following ...". */
    static boolean isPolicyViolation(LogEntry entry) {
        String message = entry.getMessage();
        return message.contains("Content Security Policy") || message.contains("Refused to")
                || message.contains("violates the following");
    }

    @Test
    void page_renders_with_its_style_and_script_allowed_by_the_policy() {
        String url = link(ticket("Browser Corp", "BROWSE1234"));

        driver.get(url);

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));
        assertThat(driver.getTitle()).contains("ASC Onboard");
        assertThat(visibleText()).contains("ASC Onboard", "Browser Corp", "BROWSE1234", "App Manager", "Team Keys",
                "AuthKey_BROWSE1234.p8");
        // Set only by the inline stylesheet: if the policy blocked it, the browser defaults would show.
        WebElement drop = driver.findElement(By.id("drop"));
        assertThat(drop.getCssValue("border-top-style")).isEqualTo("dashed");
        assertThat(driver.findElement(By.tagName("main")).getCssValue("background-color"))
                .isEqualTo("rgba(255, 255, 255, 1)");
        // The inline script highlights the drop zone while a file is dragged over it and disables the
        // button on submit; a synthetic event does both without navigating away.
        JavascriptExecutor js = driver;
        js.executeScript("document.getElementById('drop').dispatchEvent(new Event('dragenter', {cancelable: true}));"
                + "document.getElementById('upload').dispatchEvent(new Event('submit', {cancelable: true}));");
        assertThat(drop.getDomProperty("className")).contains("over");
        assertThat(drop.getCssValue("border-top-color")).isEqualTo("rgba(0, 113, 227, 1)");
        assertThat(driver.findElement(By.id("send")).isEnabled()).isFalse();
        assertCleanConsole();

        // The console checks above are only worth something if a violation would show up there: an
        // inline script and style the policy does not list must be blocked and reported.
        js.executeScript("var s = document.createElement('script'); s.textContent = 'window.injected = 1;';"
                + " document.body.appendChild(s);"
                + " var c = document.createElement('style'); c.textContent = 'main { background: red; }';"
                + " document.head.appendChild(c);");
        assertThat(js.executeScript("return window.injected === undefined;")).isEqualTo(true);
        assertThat(driver.findElement(By.tagName("main")).getCssValue("background-color"))
                .isEqualTo("rgba(255, 255, 255, 1)");
        wait.until(d -> readConsole().stream().filter(UploadPageBrowserTest::isPolicyViolation).count() >= 2);
    }

    @Test
    void a_valid_key_picked_in_the_form_is_received() throws Exception {
        String[] t = ticket("Picker Ltd", "PICKER1234");
        driver.get(link(t));
        Path key = file("AuthKey_PICKER1234.p8", TestKeys.p8Pem(TestKeys.ecP256()));

        send(key);

        assertThat(driver.getTitle()).contains("Key received");
        assertThat(driver.findElement(By.id("result")).getText())
                .contains("AuthKey_PICKER1234.p8 was received");
        assertThat(visibleText()).contains("Key received");
        assertThat(driver.findElements(By.cssSelector("input[name=key]"))).isEmpty();
        slack.await("chat.update", c -> t[1].equals(c.param("ts"))
                && c.param("blocks").contains("AuthKey_PICKER1234.p8 received"));
        assertCleanConsole();
    }

    @Test
    void a_wrong_file_is_explained_and_the_form_stays() throws Exception {
        String url = link(ticket("Wrong File GmbH", "WRONGF1234"));
        driver.get(url);
        Path certificate = file("AuthKey_WRONGF1234.p8", TestKeys.selfSignedCertPem());

        send(certificate);

        assertThat(driver.findElement(By.id("result")).getText())
                .contains("This is a certificate, not an App Store Connect API key", "You can try 4 more times");
        assertThat(driver.findElements(By.cssSelector("input[name=key]"))).hasSize(1);
        assertThat(driver.findElement(By.id("drop")).getCssValue("border-top-style")).isEqualTo("dashed");
        assertThat(driver.findElement(By.id("send")).isEnabled()).isTrue();
        assertCleanConsole(url); // the refusal is answered with 400
    }

    @Test
    void the_page_cannot_be_framed() {
        String url = link(ticket("Frame Inc", null));

        driver.get("data:text/html," + URLEncoder.encode("<iframe id=\"f\" src=\"" + url + "\"></iframe>",
                StandardCharsets.UTF_8).replace("+", "%20"));

        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt("f"));
        try {
            // Before the frame's navigation ends it shows about:blank; after it, either the upload page
            // or, as frame-ancestors 'none' demands, the browser's own error page.
            String location = (String) wait.until(d -> ((JavascriptExecutor) d).executeScript(
                    "return document.readyState === 'complete' && location.href !== 'about:blank'"
                            + " ? location.href : null;"));
            assertThat(location).doesNotStartWith(url);
            assertThat(driver.findElements(By.id("upload"))).isEmpty();
            assertThat(visibleText()).doesNotContain("Send your App Store Connect API key");
        } finally {
            driver.switchTo().defaultContent();
        }
    }
}
