package io.fleetkit.ota.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetkit.events.EventSink;
import io.fleetkit.keys.FleetKeys;
import io.fleetkit.ota.protocol.Topics;
import io.fleetkit.ota.server.access.Role;
import io.fleetkit.ota.server.api.StreamCadence;
import io.fleetkit.ota.server.rollout.RolloutDevice;
import io.fleetkit.ota.server.rollout.RolloutState;
import io.fleetkit.testsupport.Mosquitto;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's chromedriver,
 * against a real fleet server whose devices are played by MQTT clients that really download and verify the bundle.
 * Chromium trusts the fleet CA through an NSS database of its own (no certificate errors are ignored). An operator
 * logs in, finds a device, starts a rollout, sees its first phase finish and the next begin without a reload, and
 * pauses it; a viewer gets no pause button and the API refuses its pause (403). An operator tags a device, and an
 * admin makes and revokes a token and uploads a bundle; a viewer sees none of these controls. One server, one set of
 * devices and one browser serve every test of the class (each start costs seconds); the tests run in order. Each
 * page's screenshot goes to target/screenshots/ (docs/screenshots/ with -Ddashboard.screenshots=update).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    Path tmp; // the class's own, from start()

    FleetKeys keys;
    FleetServer server;
    LocalFleetClient admin;
    WebDriver browser;
    String base;
    final List<SimDevice> devices = new ArrayList<>();
    final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        requireTool(CHROMIUM, "apt-get install chromium chromium-driver");
        requireTool(CHROMEDRIVER, "apt-get install chromium chromium-driver");
        keys = TestFleet.keys(tmp);
        FleetServerConfig config = FleetServerConfig.defaults(tmp.resolve("data")).withJdbcUrl(TestFleet.memoryDb())
                .withKeyDir(TestFleet.serverOnlyKeys(tmp)).withListen("127.0.0.1", Mosquitto.freePort()).withApi(Mosquitto.freePort())
                .withTickInterval(Duration.ofMillis(200))
                // the rollout page follows its event stream: a change shows within 100 ms instead of the default second
                .withApiStreams(new StreamCadence(Duration.ofMillis(100), Duration.ofMillis(100), StreamCadence.DEFAULT.lifetime()));
        server = FleetServer.start(config, EventSink.NONE);
        admin = LocalFleetClient.onDatabase(server.database(), tmp.resolve("data"), tmp.resolve("server-keys"), java.time.Clock.systemUTC(),
                EventSink.NONE);
        base = "https://localhost:" + server.apiPort().orElseThrow();
        retries.scheduleWithFixedDelay(() -> {
            for (SimDevice d : List.copyOf(devices)) {
                try {
                    d.retry(1000);
                } catch (Exception ignored) {
                    // retried on the next round
                }
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        browser = chromium();

        server.bundles().publish(TestFleet.bundle(tmp, keys, "2.0.0", 2_000_000, TestFleet.BOARD, 64 * 1024, 4096), Optional.empty());
        for (String id : List.of("gw-001", "gw-002", "lab-007")) {
            SimDevice d = new SimDevice(server.deviceBrokerUrl(), Topics.DEFAULT, id, TestFleet.BOARD, "1.0.0", keys.signingKey().publicKey(),
                    TestFleet.deviceSockets(keys, id), false);
            d.holdAfter = 1; // each stops after its first chunk until the test lets it go on
            devices.add(d);
            d.connect();
        }
        io.fleetkit.testsupport.Await.until("the devices reported", WAIT, () -> admin.devices().stream().filter(d -> d.version() != null).count() == 3);
        admin.tagDevice("lab-007", List.of("lab", "eu-west"));
        hostileDevice("kiosk-1");
    }

    @AfterAll
    void stop() throws Exception {
        retries.shutdownNow();
        // Chromium quits while the devices and the server close (each takes seconds; the broker alone waits 2 s for quiet)
        CompletableFuture<Void> quit = browser == null ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(browser::quit);
        try {
            // side by side: each device's disconnect waits up to its 1 s timeout for a broker that sends no answer to it
            List<Thread> closing = devices.stream().map(d -> new Thread(() -> {
                try {
                    d.close();
                } catch (Exception e) {
                    System.err.println(d.id + " did not close: " + e);
                }
            }, "close-" + d.id)).toList();
            closing.forEach(Thread::start);
            for (Thread t : closing) {
                t.join(10_000);
            }
            if (server != null) {
                server.close();
            }
        } finally {
            quit.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void anOperatorRunsARolloutLiveAndAViewerMayOnlyWatch() throws Exception {
        String operator = admin.createToken("ops", Role.OPERATOR).secret();
        String viewer = admin.createToken("watcher", Role.VIEWER).secret();
        String root = admin.createToken("root", Role.ADMIN).secret();

        logIn(operator);
        waitForText(By.id("count-online"), "3");
        waitForText(By.id("count-offline"), "1");
        screenshot("overview");

        browser.findElement(By.linkText("Devices")).click();
        WebElement search = waitFor(By.id("search"));
        search.sendKeys("lab");
        browser.findElement(By.id("apply-filters")).click();
        waitUntil(d -> d.findElements(By.cssSelector("#devices-table tbody tr")).size() == 1
                && d.findElements(By.cssSelector("tr[data-device='lab-007']")).size() == 1);
        browser.findElement(By.id("search")).clear();
        browser.findElement(By.id("apply-filters")).click();
        waitUntil(d -> d.findElements(By.cssSelector("#devices-table tbody tr")).size() == 4);
        screenshot("devices");
        new Select(browser.findElement(By.id("filter-online"))).selectByValue("false");
        browser.findElement(By.id("apply-filters")).click();
        waitUntil(d -> d.findElements(By.cssSelector("#devices-table tbody tr")).size() == 1
                && d.findElements(By.cssSelector("tr[data-device='kiosk-1']")).size() == 1);
        browser.findElement(By.linkText("kiosk-1")).click();
        waitForText(By.id("device-id"), "kiosk-1");
        // what a device sent is shown as text: its markup neither renders nor runs
        waitUntil(d -> d.findElements(By.cssSelector("td.mono")).stream().anyMatch(e -> e.getText().equals(HOSTILE_SETTING)));
        assertTrue(browser.findElements(By.cssSelector("main img, main script, main b")).isEmpty(), "no element made from a device's text");
        assertEquals(null, ((JavascriptExecutor) browser).executeScript("return window.fleetPwned === undefined ? null : window.fleetPwned;"));
        screenshot("device");
        browser.findElement(By.linkText("Devices")).click();
        waitFor(By.id("search"));
        browser.findElement(By.id("search")).sendKeys("gw-002");
        browser.findElement(By.id("apply-filters")).click();
        waitUntil(d -> d.findElements(By.cssSelector("#devices-table tbody tr")).size() == 1);
        browser.findElement(By.linkText("gw-002")).click();
        waitForText(By.id("device-id"), "gw-002");

        browser.findElement(By.linkText("Bundles")).click();
        waitFor(By.linkText("Roll out…"));
        screenshot("bundles");
        browser.findElement(By.linkText("Roll out…")).click();
        assertEquals("2.0.0", new Select(waitFor(By.id("rollout-version"))).getFirstSelectedOption().getText());
        WebElement phases = browser.findElement(By.id("rollout-phases"));
        phases.clear();
        phases.sendKeys("1,100%");
        browser.findElement(By.id("rollout-select")).sendKeys("board=" + TestFleet.BOARD);
        browser.findElement(By.id("start-rollout")).click();
        waitUntil(d -> d.getCurrentUrl().matches(".*#/rollouts/r-[0-9]+$"));
        String id = browser.getCurrentUrl().replaceAll(".*#/rollouts/", "");
        waitForText(By.id("live"), "live");
        waitForText(By.id("rollout-state"), "RUNNING");
        assertEquals("0", browser.findElement(By.id("rollout-phase")).getAttribute("data-phase"));

        // the page must change by itself: a reload would lose this mark
        ((JavascriptExecutor) browser).executeScript("window.fleetTestMark = 'same page';");
        RolloutDevice first = admin.status(id).devices().stream().filter(d -> d.phase() == 0).findFirst().orElseThrow();
        SimDevice firstDevice = devices.stream().filter(d -> d.id.equals(first.deviceId())).findFirst().orElseThrow();
        firstDevice.holdAfter = Integer.MAX_VALUE;
        firstDevice.retry(0);
        waitUntil(d -> "1".equals(d.findElement(By.id("rollout-phase")).getAttribute("data-phase")));
        waitForText(By.cssSelector("#phase-0 td[data-succeeded]"), "1");
        assertEquals("same page", ((JavascriptExecutor) browser).executeScript("return window.fleetTestMark;"), "the phase advanced without a reload");
        screenshot("rollout");

        browser.findElement(By.id("pause")).click();
        waitForText(By.id("rollout-state"), "PAUSED");
        waitFor(By.id("resume"));
        assertEquals(RolloutState.PAUSED, admin.status(id).rollout().state(), "the button paused the rollout itself");

        browser.findElement(By.linkText("Rollouts")).click();
        waitFor(By.cssSelector("tr[data-rollout='" + id + "']"));
        screenshot("rollouts");

        browser.findElement(By.id("logout")).click();
        logIn(viewer);
        waitForText(By.id("who-role"), "viewer");
        browser.get(base + "/#/rollouts/" + id);
        waitForText(By.id("rollout-state"), "PAUSED");
        waitForText(By.id("live"), "live");
        assertTrue(browser.findElements(By.cssSelector("#rollout-actions button")).isEmpty(), "a viewer gets no pause, resume or abort button");
        browser.findElement(By.linkText("Rollouts")).click();
        waitFor(By.cssSelector("tr[data-rollout='" + id + "']"));
        assertTrue(browser.findElements(By.id("rollout-form")).isEmpty(), "a viewer gets no form to start a rollout");
        HttpResponse<String> refused = HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).build().send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/rollouts/" + id + "/pause")).header("Authorization", "Bearer " + viewer)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals(RolloutState.PAUSED, admin.status(id).rollout().state());

        browser.findElement(By.id("logout")).click();
        logIn(root);
        waitForText(By.id("who-role"), "admin");
        browser.findElement(By.id("nav-tokens")).click();
        waitUntil(d -> d.findElement(By.tagName("h1")).getText().equals("Tokens") && d.findElements(By.cssSelector("main p, main table")).size() > 0);
        screenshot("tokens");

        browser.findElement(By.linkText("Overview")).click();
        waitForText(By.id("count-rollouts"), "1");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("overview-phone");
    }

    @Test
    @Order(2)
    void anOperatorTagsDevicesAnAdminManagesTokensAndBundlesAndAViewerSeesNoneOfIt() throws Exception {
        String operator = admin.createToken("tagger", Role.OPERATOR).secret();
        String viewer = admin.createToken("reader", Role.VIEWER).secret();
        String root = admin.createToken("keeper", Role.ADMIN).secret();
        browser.manage().window().setSize(new Dimension(390, 844)); // these forms must work on a phone

        // an operator tags a device on its page and finds it by that tag; then takes the tag off again
        logIn(operator);
        browser.get(base + "/#/devices/gw-001");
        waitForText(By.id("device-id"), "gw-001");
        waitFor(By.id("new-tag")).sendKeys("canary");
        browser.findElement(By.id("add-tag")).click();
        waitFor(By.cssSelector("#device-tags .tag[data-tag='canary']"));
        assertEquals(List.of("canary"), admin.device("gw-001").device().tags(), "the button tagged the device itself");
        browser.get(base + "/#/devices?tag=canary");
        waitUntil(d -> d.findElements(By.cssSelector("#devices-table tbody tr")).size() == 1
                && d.findElement(By.cssSelector("tr[data-device='gw-001']")).getText().contains("canary"));
        browser.findElement(By.linkText("gw-001")).click();
        waitFor(By.cssSelector("#device-tags .tag[data-tag='canary'] button.remove-tag")).click();
        waitFor(By.id("no-tags"));
        browser.findElement(By.id("new-tag")).sendKeys("two words");
        browser.findElement(By.id("add-tag")).click();
        waitUntil(d -> d.findElement(By.id("error")).isDisplayed() && d.findElement(By.id("error")).getText().contains("'two words' is not a name"));
        browser.get(base + "/#/devices?tag=canary");
        waitFor(By.id("no-devices"));
        assertEquals(List.of(), admin.device("gw-001").device().tags());

        // a viewer reads the same pages without a control to change them
        logIn(viewer);
        browser.get(base + "/#/devices/lab-007");
        waitFor(By.cssSelector("#device-tags .tag[data-tag='lab']"));
        assertTrue(browser.findElements(By.cssSelector("#tag-form, .remove-tag")).isEmpty(), "a viewer gets no tag controls");
        browser.findElement(By.linkText("Bundles")).click();
        waitFor(By.cssSelector("tr[data-bundle='2.0.0']"));
        assertTrue(browser.findElements(By.id("upload-form")).isEmpty(), "a viewer gets no upload");
        assertTrue(!browser.findElement(By.id("nav-tokens")).isDisplayed(), "a viewer gets no tokens page");
        browser.get(base + "/#/tokens");
        waitForText(By.tagName("h1"), "Tokens");
        assertTrue(browser.findElements(By.cssSelector("#token-form, #tokens-table, .revoke-token")).isEmpty(), "a viewer gets no token controls");

        // an admin makes a token, shown once; it logs in with the role it was given
        logIn(root);
        browser.findElement(By.id("nav-tokens")).click();
        waitFor(By.id("token-name")).sendKeys("night-shift");
        new Select(browser.findElement(By.id("token-role"))).selectByValue("operator");
        browser.findElement(By.id("create-token")).click();
        String made = waitFor(By.id("new-token-value")).getDomProperty("value");
        assertTrue(made.startsWith("fleet_"), made);
        waitFor(By.cssSelector("tr[data-token='night-shift']"));
        logIn(made);
        waitForText(By.id("who-name"), "night-shift");
        waitForText(By.id("who-role"), "operator");

        // the admin revokes it: the API refuses it, and the page sends it back to the login form
        logIn(root);
        browser.findElement(By.id("nav-tokens")).click();
        waitFor(By.cssSelector("tr[data-token='night-shift'] button.revoke-token")).click();
        Alert confirm = waiting().until(ExpectedConditions.alertIsPresent());
        assertTrue(confirm.getText().contains("night-shift"), confirm.getText());
        confirm.accept();
        waitUntil(d -> d.findElements(By.cssSelector("tr[data-token='night-shift']")).isEmpty()
                && !d.findElements(By.cssSelector("tr[data-token='keeper']")).isEmpty());
        assertEquals(401, get("/api/v1/me", made).statusCode(), "a revoked token is refused");
        browser.findElement(By.id("logout")).click();
        browser.get(base + "/");
        waitFor(By.id("token")).sendKeys(made);
        browser.findElement(By.id("login")).click();
        waitFor(By.id("login-message"));
        assertTrue(browser.findElements(By.id("nav")).stream().noneMatch(WebElement::isDisplayed), "still logged out");

        // an admin uploads a bundle signed by another fleet's key: refused with the API's own message
        logIn(root);
        browser.findElement(By.linkText("Bundles")).click();
        Path foreign = TestFleet.bundle(Files.createDirectories(tmp.resolve("foreign")), TestFleet.keys(tmp.resolve("foreign")), "6.6.6",
                6_000_000, TestFleet.BOARD, 16 * 1024, 4096);
        String refusal = post("/api/v1/bundles", root, Files.readAllBytes(foreign));
        waitFor(By.id("bundle-file")).sendKeys(foreign.toString());
        browser.findElement(By.id("upload-bundle")).click();
        waitUntil(d -> d.findElement(By.id("error")).isDisplayed() && d.findElement(By.id("error")).getText().contains(refusal));
        assertTrue(browser.findElements(By.cssSelector("tr[data-bundle='6.6.6']")).isEmpty());

        // ... and a bundle signed with this fleet's key: verified, published and listed
        Path good = TestFleet.bundle(Files.createDirectories(tmp.resolve("upload")), keys, "2.1.0", 2_100_000, TestFleet.BOARD, 256 * 1024, 4096);
        browser.findElement(By.id("bundle-file")).sendKeys(good.toString());
        // a link of 512 KiB/s up (Chromium's own throttling) makes the ~260 KiB upload last long enough to watch its progress
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", 512 * 1024));
        try {
            browser.findElement(By.id("upload-bundle")).click();
            waitUntil(d -> d.findElement(By.id("upload-status")).getText().startsWith("Uploading… ")
                    && Double.parseDouble(d.findElement(By.id("upload-progress")).getDomProperty("value")) > 0);
            assertTrue(browser.findElement(By.id("upload-progress")).isDisplayed());
        } finally {
            chrome.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
        waitFor(By.id("upload-done"));
        waitFor(By.cssSelector("tr[data-bundle='2.1.0']"));
        assertTrue(!browser.findElement(By.id("error")).isDisplayed(), "the earlier refusal is gone");
        assertTrue(admin.bundles().stream().anyMatch(b -> b.name().equals("2.1.0")), "the server published the upload");
        screenshot("bundle-uploaded");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).build().send(
                HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The message of the API's refusal of this body (a request expected to fail). */
    private String post(String path, String token, byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(TestFleet.trustOnly(keys.caCertificate())).build().send(
                HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.body());
        return (String) io.fleetkit.json.JsonParser.parseObject(r.body(), 1 << 16).get("message");
    }

    static final String HOSTILE_SETTING = "<img src=x onerror=\"window.fleetPwned=1\">";

    /** A device known only from what it once reported (offline now), whose setting and event texts carry markup. */
    private void hostileDevice(String id) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        server.database().transaction(c -> {
            new io.fleetkit.ota.server.db.DeviceStore().applyReport(c, new io.fleetkit.ota.protocol.DeviceReport(id, "rpi4", "1.0.0", 1_000_000, "B",
                    new java.util.TreeMap<>(Map.of("A", "0.9.0", "B", "1.0.0")), new io.fleetkit.ota.protocol.UpdateStatus(io.fleetkit.ota.protocol.UpdateState.ROLLED_BACK,
                    "1.1.0", 0.0, "health.check-failed"), 3L << 30, 86_400, "0.1.0", List.of("kiosk"), List.of("dc:a6:32:01:02:03"),
                    "10000000abcdef01", "kiosk-1", new java.util.TreeMap<>(Map.of("greeting", HOSTILE_SETTING, "timezone", "Europe/Berlin"))), now);
            io.fleetkit.ota.server.db.EventStore events = new io.fleetkit.ota.server.db.EventStore();
            events.add(c, new io.fleetkit.ota.protocol.UpdateEvent(id, 1, io.fleetkit.ota.protocol.UpdateState.DOWNLOADING, "1.1.0", null, null,
                    now.minusSeconds(120)), now);
            events.add(c, new io.fleetkit.ota.protocol.UpdateEvent(id, 2, io.fleetkit.ota.protocol.UpdateState.ROLLED_BACK, "1.1.0",
                    "health.check-failed", "<script>window.fleetPwned=2</script><b>not bold</b>", now.minusSeconds(60)), now);
            return null;
        });
    }

    /** Logs in afresh: a tab still logged in logs out first (no page load); any other opens the dashboard. */
    private void logIn(String token) {
        List<WebElement> logout = browser.findElements(By.id("logout"));
        if (!logout.isEmpty() && logout.get(0).isDisplayed()) {
            logout.get(0).click();
        } else {
            browser.get(base + "/");
        }
        WebElement input = waitFor(By.id("token"));
        input.sendKeys(token);
        browser.findElement(By.id("login")).click();
        waitFor(By.id("count-devices"));
    }

    /** Looks every 50 ms (Selenium's default 500 ms added seconds to each test: a page here changes in milliseconds). */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.pollingEvery(Duration.ofMillis(50));
        return wait;
    }

    private WebElement waitFor(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void waitForText(By by, String text) {
        waitUntil(d -> d.findElements(by).stream().anyMatch(e -> e.getText().equals(text)));
    }

    private void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }

    /**
     * The page as it stands, into target/screenshots/NAME.png, and with {@code -Ddashboard.screenshots=update} also into
     * docs/screenshots/ of the source tree (the pages show times, so every run's pictures differ: a plain test run
     * must not leave the checkout changed).
     */
    private void screenshot(String name) throws IOException {
        Path out = "update".equals(System.getProperty("dashboard.screenshots"))
                ? repositoryRoot().resolve("docs/screenshots") : Path.of("target/screenshots").toAbsolutePath();
        Files.createDirectories(out);
        // the whole page, not only what fits the window (chromedriver's own CDP call: no DevTools version needed)
        List<?> size = (List<?>) ((JavascriptExecutor) browser).executeScript(
                "return [document.documentElement.scrollWidth, Math.min(document.documentElement.scrollHeight, 4000)];");
        Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get(0), "height", size.get(1), "scale", 1)));
        Files.write(out.resolve(name + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve(".ci"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with docs/ and .ci/) above " + Path.of("").toAbsolutePath());
    }

    /**
     * Chromium with an empty profile and a home of its own whose NSS database trusts the fleet CA (Chromium on Linux
     * takes locally trusted roots from $HOME/.pki/nssdb), so the server's certificate is checked as any site's is.
     */
    private WebDriver chromium() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("browser-home"));
        Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
        Path ca = tmp.resolve("keys").resolve(FleetKeys.CA_CERT);
        run(List.of("certutil", "-d", "sql:" + nss, "-N", "--empty-password"), "apt-get install libnss3-tools");
        run(List.of("certutil", "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "fleet-ca", "-a", "-i", ca.toString()), "apt-get install libnss3-tools");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("browser-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingPort(Mosquitto.freePort()).withEnvironment(Map.of("HOME", home.toString())).build();
        return new ChromeDriver(service, options);
    }

    private static void run(List<String> command, String install) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is missing: " + install, e);
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void requireTool(String path, String install) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new AssertionError(path + " is missing; the dashboard's browser test needs it: " + install);
        }
    }
}
