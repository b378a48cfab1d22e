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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * pauses it; a viewer gets no pause button and the API refuses its pause (403). Each page's screenshot goes to
 * target/screenshots/ (docs/screenshots/ with -Ddashboard.screenshots=update).
 */
class DashboardBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path tmp;

    FleetKeys keys;
    FleetServer server;
    LocalFleetClient admin;
    WebDriver browser;
    String base;
    final List<SimDevice> devices = new ArrayList<>();
    final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
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
    }

    @AfterEach
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
    void anOperatorRunsARolloutLiveAndAViewerMayOnlyWatch() throws Exception {
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

    private void logIn(String token) {
        browser.get(base + "/");
        WebElement input = waitFor(By.id("token"));
        input.sendKeys(token);
        browser.findElement(By.id("login")).click();
        waitFor(By.id("count-devices"));
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void waitForText(By by, String text) {
        waitUntil(d -> d.findElements(by).stream().anyMatch(e -> e.getText().equals(text)));
    }

    private void waitUntil(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
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
