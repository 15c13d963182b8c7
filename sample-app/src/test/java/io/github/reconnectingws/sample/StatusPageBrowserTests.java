package io.github.reconnectingws.sample;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real headless Chromium: Debian's {@code chromium} and
 * {@code chromedriver} at fixed paths, never a downloaded driver or browser. Skipped, with
 * a message that says how to install them, when they are not installed.
 * <p>
 * The backoff starts at a fixed 3 s here, so that a drop leaves the connection in
 * {@code RECONNECTING} long enough for the page (which polls twice a second) to show it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "reconnecting.websocket.backoff.initial-interval=3s",
                "reconnecting.websocket.backoff.randomization-factor=0" })
@EnabledIf(value = "browserInstalled", disabledReason = StatusPageBrowserTests.SKIPPED)
class StatusPageBrowserTests {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final Path SCREENSHOT = Path.of("target", "screenshots", "status-page-after-drop.png");

    static final String SKIPPED = "Browser test skipped: it needs Debian's Chromium and ChromeDriver at /usr/bin/chromium"
            + " and /usr/bin/chromedriver. Enable it with: sudo apt-get install chromium chromium-driver"
            + " (.ci/run installs them)";

    private static final Duration WAIT = Duration.ofSeconds(20);

    // Selenium warns that it has no CDP bindings for this Chromium: the test uses none
    private static final Logger seleniumLogger = Logger.getLogger("org.openqa.selenium");

    private static ChromeDriverService service;

    private static WebDriver browser;

    @LocalServerPort
    private int port;

    static boolean browserInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            // surefire reports a skip without its reason: say how to enable the test
            System.err.println(SKIPPED);
        }
        return installed;
    }

    @BeforeAll
    static void startBrowser(@TempDir Path profile) throws IOException {
        seleniumLogger.setLevel(Level.SEVERE);
        // a driver path given explicitly: Selenium Manager is never asked for one
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,1100",
                "--user-data-dir=" + Files.createDirectories(profile.resolve("chromium")));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void aDropIsHealedAtOnceAndShowsOnTheTimelineAndInTheCount() throws IOException {
        browser.get("http://127.0.0.1:" + this.port + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
        wait.until((driver) -> "CONNECTED".equals(text(driver, "#conn-default .state")));
        long reconnectsBefore = Long.parseLong(text(browser, "#conn-default .reconnects"));

        browser.findElement(By.id("drop")).click();

        // a drop is retried at once: RECONNECTING lasts milliseconds, too short for the badge
        // (polled twice a second) but kept on the timeline
        wait.until((driver) -> "CONNECTED".equals(text(driver, "#conn-default .state"))
                && Long.parseLong(text(driver, "#conn-default .reconnects")) > reconnectsBefore);
        assertThat(browser.findElements(By.cssSelector("#conn-default .timeline .seg-RECONNECTING"))).isNotEmpty();
        assertThat(text(browser, "#journal")).contains("default: disconnected (close 1001");

        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        assertNotBlank(ImageIO.read(new ByteArrayInputStream(png)));
    }

    private static String text(WebDriver driver, String selector) {
        WebElement element = driver.findElement(By.cssSelector(selector));
        return element.getText().trim();
    }

    /** A rendered page has many distinct pixels: a blank or single-colour image has none. */
    private static void assertNotBlank(BufferedImage image) {
        assertThat(image).as("screenshot").isNotNull();
        assertThat(image.getWidth()).isGreaterThan(600);
        double sum = 0;
        double sumOfSquares = 0;
        int samples = 0;
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                int rgb = image.getRGB(x, y);
                double luminance = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                sum += luminance;
                sumOfSquares += luminance * luminance;
                samples++;
            }
        }
        double mean = sum / samples;
        double variance = sumOfSquares / samples - mean * mean;
        assertThat(variance).as("luminance variance of the screenshot").isGreaterThan(100);
    }

}
