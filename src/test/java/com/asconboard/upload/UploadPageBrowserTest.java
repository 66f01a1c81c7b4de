package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.AscCustomer;
import com.asconboard.testing.FakeAsc;
import com.asconboard.testing.RunningBot;
import com.asconboard.testing.TicketDriver;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
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
    // The Debian packages' paths; set explicitly so Selenium never looks for (or downloads) a browser.
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** What Chromium sends unless a test says otherwise. */
    static final String ENGLISH = "en-US,en;q=0.9";
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";
    static final String VENDOR = "builds@vendor.example";

    @TempDir
    static Path dir;
    /** The bot and its fakes, for all the tests of the class; the browser is started once it is up. */
    @RegisterExtension
    static final RunningBot app = new RunningBot().withAsc().with(env -> {
        env.put("VENDOR_APPLE_ID", VENDOR);
        env.put("AUTO_CREATE_CERTIFICATE", "false");
    });
    static ChromeDriver driver;
    static WebDriverWait wait;
    /** For Apple's verdict, which may follow App Store Connect's retries. */
    static WebDriverWait verdictWait;
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
        verdictWait = new WebDriverWait(driver, Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void forgetEarlierConsole() {
        app.slack().reset();
        app.asc().clearFaults();
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
        // Legacy mode: axe checks the page in its own window instead of opening a blank one to gather results,
        // which a loaded machine can take a minute to do; the page has no frames, so nothing is lost.
        Results results = new AxeBuilder()
                .setLegacyMode(true)
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

    /** Opens a ticket that has its Issuer ID (the page asks for nothing but the file). */
    static TicketDriver.Opened ticket(String customer, String keyId) {
        return ticket(customer, "Team", "TEAM123456", ISSUER, keyId);
    }

    /** Opens a ticket for an account in the fake App Store Connect, with or without its Issuer ID. */
    static TicketDriver.Opened ticket(String customer, AscCustomer account, String issuerId) {
        return ticket(customer, account.teamName(), account.teamId(), issuerId, account.keyId());
    }

    static TicketDriver.Opened ticket(String customer, String teamName, String teamId, String issuerId,
            String keyId) {
        return app.driver().open(customer, teamName, teamId, issuerId, keyId);
    }

    /** Clicks Upload link and returns the URL the engineer was given. */
    static String link(TicketDriver.Opened ticket) {
        return app.driver().uploadLink(ticket);
    }

    /** Writes {@code content} to a file of that name, as the customer's download would be. */
    static Path file(String name, String content) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("files").resolve(Long.toString(System.nanoTime())));
        return Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Waits, through the page's own refreshes or script, until the page's heading is {@code heading}. */
    static void awaitHeading(String heading) {
        verdictWait.until(d -> {
            List<WebElement> h1 = d.findElements(By.tagName("h1"));
            try {
                return !h1.isEmpty() && heading.equals(h1.get(0).getText());
            } catch (WebDriverException e) { // stale, or asked while the document was being replaced
                return false;
            }
        });
    }

    /** An account in the fake with one key of {@code role} (the vendor user invited) and its key file on disk. */
    static AscCustomer account(String teamName, FakeAsc.Role role) {
        return AscCustomer.create(app.asc(), teamName, role, ISSUER, VENDOR);
    }

    static Path keyFile(AscCustomer account) throws Exception {
        return file(account.fileName(), account.pem());
    }

    static String visibleText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Picks the file in the form and sends it; returns once the answer page has replaced the form page. */
    static void send(Path file) {
        WebElement form = driver.findElement(By.id("upload"));
        driver.findElement(By.cssSelector("input[name=key]")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.id("send")).click();
        // The answer comes once the key is stored and its check recorded; a loaded machine may take a while.
        awaitReplaced(verdictWait, form);
        // A page waiting for Apple's verdict may already be refreshing itself: a node looked up while the document
        // is replaced is not an answer yet.
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
    }

    /**
     * Waits until the document holding {@code element} has been replaced. While Chromium swaps documents it may
     * answer a question about the old node with an inspector error ("Node with given id does not belong to the
     * document") instead of calling it stale; that is not an answer yet, so the question is asked again.
     */
    static void awaitReplaced(WebDriverWait wait, WebElement element) {
        wait.until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                return false;
            }
        });
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
        expected.add("http://127.0.0.1:" + app.bot().port() + "/favicon.ico");
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
    void a_valid_key_picked_in_the_form_is_received_and_apples_verdict_follows() throws Exception {
        AscCustomer account = account("Picker Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened t = ticket("Picker Ltd", account, ISSUER);
        driver.get(link(t));

        send(keyFile(account));

        awaitHeading("Apple accepts your key");
        assertThat(driver.getTitle()).contains("Apple accepts your key");
        assertThat(driver.findElement(By.id("result")).getText())
                .contains("Apple accepts the key: ASC Onboard can now work with your App Store Connect account.",
                        "Nothing more is needed from you.");
        assertThat(driver.findElements(By.cssSelector("input[name=key]"))).isEmpty();
        app.slack().await("chat.update", c -> t.ts().equals(c.param("ts"))
                && c.param("blocks").contains(account.fileName() + " received"));
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
        AscCustomer account = account("Keyboard Ltd", FakeAsc.Role.APP_MANAGER);
        TicketDriver.Opened t = ticket("Keyboard Ltd", account, ISSUER);
        driver.get(link(t));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload")));

        Path key = keyFile(account);

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

        awaitReplaced(wait, form);
        awaitHeading("Apple accepts your key");
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

        AscCustomer account = account("Axe Verified Oy", FakeAsc.Role.APP_MANAGER);
        String verified = link(ticket("Axe Verified Oy", account, ISSUER));
        driver.get(verified);
        send(keyFile(account));
        awaitHeading("Apple accepts your key");
        assertAccessible("Apple's verdict");
        screenshot("verified-en");

        acceptLanguage("de-DE,de;q=0.9");
        driver.get(verified);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Apple akzeptiert Ihren Schlüssel");
        assertAccessible("Apple's verdict in German");

        // A key taken without a verification (the ticket lacks the Issuer ID and the upload carried none) spends the
        // link at once, as before the page asked for details.
        String unverified = link(ticket("Axe Used Oy", "Team", "TEAM123456", null, "AXEUSE1234"));
        assertThat(new com.asconboard.testing.UploadClient().upload(unverified, "AuthKey_AXEUSE1234.p8",
                TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        driver.get(unverified);
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

    // ---------------------------------------------------------------- what only the customer knows; Apple's verdict

    @Test
    void the_issuer_id_field_and_its_inline_error_speak_french() throws Exception {
        acceptLanguage("fr-FR,fr;q=0.9");
        AscCustomer account = account("Émetteur SARL", FakeAsc.Role.APP_MANAGER);
        String url = link(ticket("Émetteur SARL", account, null));
        driver.get(url);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("issuer_id")));
        assertThat(driver.findElement(By.cssSelector("label[for=issuer_id]")).getText())
                .isEqualTo("ID de l’émetteur");
        assertThat(driver.findElement(By.id("issuer_id-hint")).getText())
                .contains("Utilisateurs et accès → Intégrations → API App Store Connect");
        assertThat(driver.findElements(By.id("team_id"))).as("the ticket has its Team ID").isEmpty();
        screenshot("issuer-id-fr");

        driver.findElement(By.id("issuer_id")).sendKeys("5724654296fe");
        send(keyFile(account));

        WebElement summary = driver.findElement(By.id("result"));
        assertThat(summary.getAttribute("role")).isEqualTo("alert");
        assertThat(activeId()).as("the error summary has the focus").isEqualTo("result");
        assertThat(summary.getText()).contains("Vérifiez les informations saisies",
                "Un ID de l’émetteur est un UUID (8-4-4-4-12 chiffres hexadécimaux ; la valeur saisie compte 12 "
                        + "caractères)");
        List<WebElement> problems = summary.findElements(By.cssSelector("ul.problems a"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).getAttribute("href")).endsWith("#issuer_id");
        WebElement input = driver.findElement(By.id("issuer_id"));
        assertThat(input.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(input.getAttribute("aria-describedby")).isEqualTo("issuer_id-hint issuer_id-error");
        assertThat(input.getAttribute("value")).as("what was typed is kept").isEqualTo("5724654296fe");
        assertThat(driver.findElement(By.id("issuer_id-error")).getText())
                .startsWith("✗ Un ID de l’émetteur est un UUID");
        assertThat(driver.findElement(By.id("key")).getAttribute("aria-invalid")).as("the file was not the problem")
                .isNull();
        assertAccessible("the Issuer ID refused");
        screenshot("issuer-id-error-fr");

        // The summary's link takes the keyboard to the field it names.
        problems.get(0).sendKeys(Keys.ENTER);
        wait.until(d -> "issuer_id".equals(activeId()));
        input.clear();
        input.sendKeys(ISSUER);
        send(keyFile(account));

        awaitHeading("Apple accepte votre clé");
        assertThat(visibleText()).contains("Apple accepte la clé : ASC Onboard peut désormais travailler avec votre "
                + "compte App Store Connect.");
        screenshot("verified-fr");
        app.slack().await("chat.postMessage", c -> c.param("text").contains("The customer entered the Issuer ID " + ISSUER));
        assertCleanConsole(url); // the refused details are answered with 400
    }

    @Test
    void with_javascript_the_page_asks_the_status_endpoint_and_shows_the_verdict_with_what_is_left_to_do()
            throws Exception {
        // No vendor user in the account yet: the customer still has to invite them.
        AscCustomer account = AscCustomer.create(app.asc(), "Script Ltd", FakeAsc.Role.APP_MANAGER, ISSUER, null);
        String url = link(ticket("Script Ltd", account, ISSUER));
        driver.get(url);
        app.asc().failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(3)));

        send(keyFile(account));

        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Key received");
        WebElement checking = driver.findElement(By.id("checking"));
        assertThat(checking.getAttribute("role")).isEqualTo("status");
        assertThat(checking.getText()).contains("Apple is checking the key now");
        assertThat(driver.findElement(By.id("result")).getText()).contains(account.fileName() + " was received");
        screenshot("checking-en");

        awaitHeading("Apple accepts your key");
        assertThat(driver.getCurrentUrl()).as("shown by the script, not by a refresh").doesNotContain("check=");
        assertThat(driver.findElement(By.id("todo-title")).getText()).isEqualTo("Still to do on your side");
        assertThat(visibleText()).contains("In Users and Access, invite " + VENDOR + " (the ASC Onboard user) with "
                + "Access to Certificates, Identifiers & Profiles and Access to Cloud Managed Distribution Certificate")
                .doesNotContain("Nothing more is needed");
        assertThat(activeId()).as("the verdict has the focus").isEqualTo("result");
        assertAccessible("the verdict with a task left");
        screenshot("verified-with-a-task-en");
        app.slack().await("chat.postMessage", c -> c.param("text").contains("Still to do on their side, as the page lists: "
                + "invite the vendor user with certificate access"));
        assertCleanConsole();
    }

    @Test
    void without_javascript_the_page_refreshes_itself_until_the_verdict_and_then_says_what_happens_next()
            throws Exception {
        javaScript(false);
        AscCustomer account = account("Refresh Ltd", FakeAsc.Role.APP_MANAGER);
        String url = link(ticket("Refresh Ltd", account, ISSUER));
        driver.get(url);
        app.asc().failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(4)));

        send(keyFile(account));

        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .until(d -> d.findElement(By.id("checking")).getText().contains("Apple is checking the key now"));
        screenshot("checking-without-javascript");
        awaitHeading("Apple accepts your key");
        assertThat(driver.getCurrentUrl()).as("shown by the page's own refresh").contains("check=");

        // Apple takes longer than the refreshes last: the page stops and says what happens next.
        AscCustomer slow = account("Slow Ltd", FakeAsc.Role.APP_MANAGER);
        String later = link(ticket("Slow Ltd", slow, ISSUER));
        driver.get(later);
        app.asc().failNext("/v1/apps", 1, FakeAsc.Fault.slow(Duration.ofSeconds(15)));
        send(keyFile(slow));
        javaScript(true); // for axe; the last page asks nothing more by itself either way
        driver.get(later + "?lang=en&check=10");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your key is still being checked");
        assertThat(driver.findElement(By.id("checking")).getText()).contains("Apple has not answered yet",
                "ASC Onboard sees the answer as soon as Apple gives it", "Check again");
        assertThat(driver.findElements(By.cssSelector("meta[http-equiv=refresh]"))).isEmpty();
        assertAccessible("still being checked");
        screenshot("still-checking-en");
        driver.findElement(By.linkText("Check again")).click();
        awaitHeading("Apple accepts your key");
        assertCleanConsole();
    }

    @Test
    void a_key_apple_rejects_is_explained_and_a_corrected_key_on_the_same_link_is_verified() throws Exception {
        acceptLanguage("de-DE,de;q=0.9");
        // Apple refuses a Sales key the certificates: its role is too low for the vendor.
        AscCustomer account = account("Rolle GmbH", FakeAsc.Role.SALES);
        String url = link(ticket("Rolle GmbH", account, ISSUER));
        driver.get(url);

        send(keyFile(account));

        String rejected = "✗ Der Schlüssel funktioniert noch nicht";
        verdictWait.until(d -> !d.findElements(By.id("result-heading")).isEmpty()
                && rejected.equals(d.findElement(By.id("result-heading")).getText()));
        WebElement result = driver.findElement(By.id("result"));
        assertThat(result.getAttribute("role")).isEqualTo("alert");
        assertThat(result.getText()).contains("er kann keine Zertifikate verwalten",
                "Erstellen Sie einen neuen Teamschlüssel mit dem Zugriff App-Manager",
                "Sie können es mit diesem Link noch 4-mal versuchen.");
        assertThat(activeId()).isEqualTo("result");
        assertThat(driver.findElements(By.id("key"))).hasSize(1);
        assertAccessible("a rejected key");
        screenshot("rejected-de");
        app.slack().await("chat.postMessage", c -> c.param("text").contains("Apple rejected the key the customer uploaded"));

        AscCustomer corrected = account.newKey(FakeAsc.Role.APP_MANAGER);
        send(keyFile(corrected));

        awaitHeading("Apple akzeptiert Ihren Schlüssel");
        screenshot("corrected-verified-de");
        app.slack().await("chat.postMessage", c -> c.param("text").contains("uploaded a corrected key "
                + corrected.fileName()));
        assertCleanConsole();
    }

    @Test
    void when_apple_cannot_be_reached_the_page_says_the_key_is_stored_and_the_vendor_follows_up() throws Exception {
        acceptLanguage("es-ES,es;q=0.9");
        AscCustomer account = account("Sin Red SL", FakeAsc.Role.APP_MANAGER);
        String url = link(ticket("Sin Red SL", account, ISSUER));
        driver.get(url);
        app.asc().failNext("/v1/apps", 20, FakeAsc.Fault.unavailable());

        send(keyFile(account));

        awaitHeading("Clave recibida");
        verdictWait.until(d -> d.findElements(By.id("checking")).isEmpty());
        assertThat(driver.findElement(By.id("result")).getText()).contains("Su clave está guardada cifrada",
                "no se ha podido contactar con Apple", "ASC Onboard volverá a comprobarla");
        assertAccessible("the key stored while Apple cannot be reached");
        screenshot("stored-es");
        assertCleanConsole();
    }
}
