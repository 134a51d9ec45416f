package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (Selenium's ChromeDriver): a
 * fresh profile per session, the site's own server key trusted (and nothing else), console and
 * network events kept so that tests can look for mixed content and redirects.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Screenshots land here, kept after the run as test artifacts. */
    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    final ChromeDriver driver;
    private final Path profile;
    /** Every network and console event seen so far (the driver hands each log entry out once). */
    private final List<JsonNode> network = new ArrayList<>();
    private final List<String> console = new ArrayList<>();

    /**
     * @param serverCert the site's server certificate (PEM): its public key is the only one trusted
     *                   beyond the system's roots
     */
    HeadlessChromium(Path serverCert, Path profileParent) throws Exception {
        profile = Files.createTempDirectory(profileParent, "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile,
                "--ignore-certificate-errors-spki-list=" + spkiSha256(serverCert));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, the form Chromium's SPKI list takes. */
    static String spkiSha256(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    /** Polls the condition (null or false: not yet) every 250 ms until it holds or the time is up. */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.apply(driver);
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            ConformanceEnv.sleep(250);
        }
        screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
        throw new AssertionError("timed out waiting for " + what + " (at " + driver.getCurrentUrl() + ")\nconsole: "
                + consoleMessages(), last);
    }

    void type(By field, String text) {
        driver.findElement(field).clear();
        driver.findElement(field).sendKeys(text);
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.move(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), target,
                    StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException | RuntimeException e) {
            System.out.println("screenshot " + name + " not taken: " + e);
            return null;
        }
    }

    private void drain() {
        ObjectMapper json = new ObjectMapper();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                network.add(json.readTree(e.getMessage()).get("message"));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e.getLevel() + " " + e.getMessage());
        }
    }

    /** Console messages (errors, warnings, logs) seen so far. */
    List<String> consoleMessages() {
        drain();
        return List.copyOf(console);
    }

    /** URLs of every request the page made so far, redirects included. */
    List<String> requestedUrls() {
        drain();
        List<String> urls = new ArrayList<>();
        for (JsonNode m : network) {
            if ("Network.requestWillBeSent".equals(m.path("method").asText())) {
                urls.add(m.at("/params/request/url").asText());
            }
        }
        return urls;
    }

    /** Location headers of every redirect answered so far, in order (fragments included). */
    List<String> redirectLocations() {
        drain();
        List<String> locations = new ArrayList<>();
        for (JsonNode m : network) {
            JsonNode redirect = m.at("/params/redirectResponse");
            if ("Network.requestWillBeSent".equals(m.path("method").asText()) && !redirect.isMissingNode()) {
                JsonNode headers = redirect.path("headers");
                headers.fieldNames().forEachRemaining(h -> {
                    if (h.equalsIgnoreCase("location")) {
                        locations.add(headers.get(h).asText());
                    }
                });
            }
        }
        return locations;
    }

    /** Forgets the events seen so far (to look at one navigation alone). */
    void clearEvents() {
        drain();
        network.clear();
        console.clear();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            Tools.run("rm", "-rf", profile.toString());
        }
    }
}
