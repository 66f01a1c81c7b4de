package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.keys.TestKeys;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.MutableClock;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
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
 * Content-Security-Policy, whether a file picked in the form arrives as the server expects, whether
 * the page works by keyboard alone and without JavaScript, and whether axe-core finds accessibility
 * faults. Each state is also saved as a screenshot under target/screenshots/ for review.
 */
class UploadPageBrowserTest {
    static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/upload/([A-Za-z0-9_-]{43})");
    // The Debian packages' paths; set explicitly so Selenium never looks for (or downloads) a browser.
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** What Chromium sends unless a test says otherwise. */
    static final String ENGLISH = "en-US,en;q=0.9";

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
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1024,1500",
                "--lang=en-US",
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
        acceptLanguage(ENGLISH);
        javaScript(true);
    }

    /** The Accept-Language header Chromium sends from now on, as a browser set to that language would. */
    static void acceptLanguage(String header) {
        String userAgent = (String) driver.executeScript("return navigator.userAgent;");
        driver.executeCdpCommand("Emulation.setUserAgentOverride", Map.of("userAgent", userAgent,
                "acceptLanguage", header));
    }

    /** Turns the page's scripts off or on, for the pages loaded from now on, as a browser setting would. */
    static void javaScript(boolean enabled) {
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !enabled));
    }

    /** Saves what the browser shows, for a person to look at. */
    static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The rules axe-core finds broken with a serious or critical impact on the page shown now. */
    static List<Rule> seriousAccessibilityViolations() {
        Results results = new AxeBuilder()
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"))
                .analyze(driver);
        assertThat(results.isErrored()).as("axe ran: " + results.getErrorMessage()).isFalse();
        return results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .toList();
    }

    static String describeRules(List<Rule> rules) {
        return rules.stream().map(rule -> rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList())
                .collect(Collectors.joining("\n"));
    }

    static void assertAccessible(String what) {
        List<Rule> violations = seriousAccessibilityViolations();
        assertThat(violations).as(what + ":\n" + describeRules(violations)).isEmpty();
    }

    static String activeId() {
        return driver.switchTo().activeElement().getAttribute("id");
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
     * Chromium reports every error status as a failed load; those of the pages in {@code expectedErrorStatus}
     * (with any query) are the answer the test asked for, and /favicon.ico is requested by the browser itself
     * (the page has no icon).
     */
    static void assertCleanConsole(String... expectedErrorStatus) {
        List<String> expected = new ArrayList<>(List.of(expectedErrorStatus));
        expected.add("http://127.0.0.1:" + bot.port() + "/favicon.ico");
        List<LogEntry> entries = readConsole();
        assertThat(entries).as("console errors:\n" + describe(entries))
                .noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()
                        && expected.stream().noneMatch(url -> e.getMessage().startsWith(url)
                                && e.getMessage().contains(" - Failed to load resource: the server responded with a "
                                        + "status of ")));
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

    /** What a customer reading each language sees first. */
    record Shown(String tag, String acceptLanguage, String heading, String preflight, String button, String role) {
    }

    static final List<Shown> LANGUAGES = List.of(
            new Shown("en", ENGLISH, "Send your App Store Connect API key", "Before you create the key", "Send the key",
                    "App Manager"),
            new Shown("fr", "fr-FR,fr;q=0.9,en;q=0.5", "Envoyez votre clé d’API App Store Connect",
                    "Avant de créer la clé", "Envoyer la clé", "Gestionnaire d’apps"),
            new Shown("de", "de-DE,de;q=0.9", "Ihren API-Schlüssel für App Store Connect übermitteln",
                    "Bevor Sie den Schlüssel erstellen", "Schlüssel senden", "App-Manager"),
            new Shown("es", "es-ES,es;q=0.9,en;q=0.3", "Envíe su clave de API de App Store Connect",
                    "Antes de crear la clave", "Enviar la clave", "Gestor de apps"));

    static void assertShows(Shown expected) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo(expected.tag());
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(expected.heading());
        assertThat(driver.getTitle()).startsWith(expected.heading());
        assertThat(driver.findElement(By.id("preflight-title")).getText()).isEqualTo(expected.preflight());
        assertThat(driver.findElement(By.id("send")).getText()).isEqualTo(expected.button());
        assertThat(visibleText()).contains(expected.role());
    }

    @Test
    void each_language_is_shown_as_the_browser_asks_for_it() throws Exception {
        String url = link(ticket("Langues SA", "LANGUE1234"));
        for (Shown expected : LANGUAGES) {
            acceptLanguage(expected.acceptLanguage());

            driver.get(url);

            assertShows(expected);
            assertThat(visibleText()).contains("Langues SA", "AuthKey_LANGUE1234.p8");
            screenshot("form-" + expected.tag());
        }
        assertCleanConsole();
    }

    @Test
    void each_language_is_shown_by_lang_in_the_address_and_the_switcher_changes_it() {
        String url = link(ticket("Switch GmbH", null));
        acceptLanguage("fr-FR,fr;q=0.9");
        for (Shown expected : LANGUAGES) {
            driver.get(url + "?lang=" + expected.tag());
            assertShows(expected);
        }

        driver.get(url);
        assertShows(LANGUAGES.get(1));
        WebElement current = driver.findElement(By.cssSelector("nav.languages a[aria-current]"));
        assertThat(current.getText()).isEqualTo("Français");
        // Shown as current by weight and an underline bar, not by colour alone.
        assertThat(current.getCssValue("font-weight")).isEqualTo("700");
        driver.findElement(By.linkText("Deutsch")).click();

        assertShows(LANGUAGES.get(2));
        assertThat(driver.getCurrentUrl()).isEqualTo(url + "?lang=de");
        assertCleanConsole();
    }

    /** Where the keyboard focus is, as "tag:id" or "tag:text". */
    static String focused() {
        WebElement element = driver.switchTo().activeElement();
        String id = element.getAttribute("id");
        return element.getTagName() + ":" + (id == null || id.isEmpty() ? element.getText() : id);
    }

    static void press(CharSequence key) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(key).perform();
    }

    @Test
    void the_keyboard_alone_reaches_the_file_input_and_the_button_and_sends_the_key() throws Exception {
        String[] t = ticket("Keyboard Ltd", "KEYBRD1234");
        driver.get(link(t));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));

        Path key = file("AuthKey_KEYBRD1234.p8", TestKeys.p8Pem(TestKeys.ecP256()));

        // From the top of the page, Tab after Tab, as someone without a mouse goes.
        List<String> path = new ArrayList<>();
        for (int i = 0; i < 12 && !path.contains("button:send"); i++) {
            press(Keys.TAB);
            path.add(focused());
            if (focused().equals("input:key")) {
                // A file dialog cannot be driven here; WebDriver types the path into the focused file input.
                driver.switchTo().activeElement().sendKeys(key.toAbsolutePath().toString());
            }
        }

        assertThat(path).containsExactly("a:English", "a:Français", "a:Deutsch", "a:Español", "a:App Store Connect",
                "input:key", "button:send");
        assertThat(driver.switchTo().activeElement().getCssValue("outline-style")).as("focus is visible")
                .isEqualTo("solid");
        screenshot("keyboard-focus-on-the-button");
        WebElement form = driver.findElement(By.id("upload"));
        press(Keys.ENTER);

        wait.until(ExpectedConditions.stalenessOf(form));
        assertThat(driver.findElement(By.id("result")).getText()).contains("AuthKey_KEYBRD1234.p8 was received");
        assertCleanConsole();
    }

    @Test
    void without_javascript_an_error_is_announced_and_takes_the_focus() throws Exception {
        javaScript(false);
        acceptLanguage("fr-FR,fr;q=0.9");
        String url = link(ticket("Erreur SARL", "ERREUR1234"));
        driver.get(url);

        send(file("AuthKey_ERREUR1234.p8", TestKeys.selfSignedCertPem()));

        WebElement result = driver.findElement(By.id("result"));
        assertThat(result.getAttribute("role")).isEqualTo("alert");
        assertThat(activeId()).as("the error summary has the focus").isEqualTo("result");
        assertThat(result.getText()).contains("Le fichier n’a pas été accepté", "Il s’agit d’un certificat",
                "Il vous reste 4 essais avec ce lien.");
        WebElement input = driver.findElement(By.id("key"));
        assertThat(input.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(input.getAttribute("aria-describedby")).isEqualTo("result");
        screenshot("error-fr");

        // The link in the error takes the keyboard straight back to the file field.
        driver.findElement(By.cssSelector("#result a[href='#key']")).sendKeys(Keys.ENTER);
        wait.until(d -> "key".equals(activeId()));
        assertCleanConsole(url); // the refusal is answered with 400
    }

    @Test
    void axe_finds_no_serious_or_critical_violation_in_any_state() throws Exception {
        String url = link(ticket("Axe Oy", "AXEAXE1234"));
        for (Shown language : LANGUAGES) {
            driver.get(url + "?lang=" + language.tag());
            assertShows(language);
            assertAccessible("the form in " + language.tag());
        }

        driver.get(url);
        send(file("AuthKey_AXEAXE1234.p8", "not a key"));
        assertAccessible("the form with an error");

        send(file("AuthKey_AXEAXE1234.p8", TestKeys.p8Pem(TestKeys.ecP256())));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Key received");
        assertAccessible("the key received");
        screenshot("accepted-en");

        acceptLanguage("de-DE,de;q=0.9");
        driver.get(url);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Dieser Link funktioniert nicht mehr");
        assertAccessible("a used link");
        screenshot("used-de");

        acceptLanguage("es-ES,es;q=0.9");
        driver.get(url.substring(0, url.lastIndexOf('/') + 1) + "N".repeat(43));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Enlace no encontrado");
        assertAccessible("an unknown link");
        screenshot("not-found-es");

        // The check is worth something only if it catches a fault: an input without a label is one.
        driver.executeScript("var input = document.createElement('input'); input.type = 'text';"
                + " document.querySelector('main').appendChild(input);");
        assertThat(seriousAccessibilityViolations()).extracting(Rule::getId).contains("label");
    }

    @Test
    void without_javascript_a_200_kib_file_shows_the_readable_too_large_page() throws Exception {
        String url = link(ticket("Big File Ltd", null));
        javaScript(false);
        driver.get(url);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));
        // The page's own script did not run: it would mark the drop zone while something is dragged over it.
        driver.executeScript("document.getElementById('drop').dispatchEvent(new Event('dragenter'));");
        assertThat(driver.findElement(By.id("drop")).getDomProperty("className")).isEqualTo("drop");

        send(file("AuthKey_BIG.p8", "A".repeat(200 * 1024)));

        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("File too large");
        assertThat(driver.findElement(By.id("result")).getText()).contains("That file is larger than 16 KiB");
        screenshot("too-large-without-javascript");
        assertCleanConsole(url); // answered with 413
    }
}
