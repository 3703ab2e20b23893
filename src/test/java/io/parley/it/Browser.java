package io.parley.it;

import io.parley.Required;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven through its ChromeDriver, fully offline, with a fresh profile
 * that is deleted afterwards. Each instance is one browser: its tabs share cookies, storage and
 * shared workers, as one person's browser does.
 *
 * <p>Without Chromium these tests are skipped with a loud notice, except under {@code CI=true},
 * where they fail: CI installs Chromium and must run them.
 */
final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));

  private final Path profile;
  private final ChromeDriver driver;

  private Browser(String scriptBeforeEveryPage) {
    this(scriptBeforeEveryPage, false);
  }

  private Browser(String scriptBeforeEveryPage, boolean trustAnyCertificate) {
    try {
      profile = Files.createTempDirectory("parley-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-quic",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir=" + profile,
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
    if (trustAnyCertificate) {
      options.addArguments(
          "--ignore-certificate-errors"); // the test servers' certificates are their own
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    if (scriptBeforeEveryPage != null) {
      driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument", Map.of("source", scriptBeforeEveryPage));
    }
  }

  /** A browser as people have it. */
  static Browser launch() {
    requireChromium();
    return new Browser(null);
  }

  /**
   * A browser that accepts the test servers' self-signed certificates (HTTP/2 needs TLS in
   * browsers).
   */
  static Browser launchTrustingTestCertificates() {
    requireChromium();
    return new Browser(null, true);
  }

  /**
   * A browser without {@code SharedWorker} (as some mobile browsers are): each tab streams on its
   * own.
   */
  static Browser launchWithoutSharedWorker() {
    requireChromium();
    return new Browser("delete window.SharedWorker;");
  }

  /**
   * A browser whose pages record each notification they show, as "title|body" in {@code
   * window.notified}: the browser's own Notification, wrapped before the page loads, still shows
   * it.
   */
  static Browser launchRecordingNotifications() {
    requireChromium();
    return new Browser(
        "window.notified = [];"
            + "if (typeof Notification === 'function') {"
            + "  window.Notification = class extends Notification {"
            + "    constructor(title, options) {"
            + "      super(title, options);"
            + "      window.notified.push(title + '|' + (options?.body ?? ''));"
            + "    }"
            + "  };"
            + "}");
  }

  /**
   * The titles of every tab, read through DevTools: a hidden tab's title can be read without
   * switching to it (which would bring it to the front).
   */
  @SuppressWarnings("unchecked")
  java.util.List<String> tabTitles() {
    var targets =
        (java.util.List<Map<String, Object>>)
            driver.executeCdpCommand("Target.getTargets", Map.of()).get("targetInfos");
    return targets.stream()
        .filter(target -> "page".equals(target.get("type")))
        .map(target -> (String) target.get("title"))
        .toList();
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Saves what the current tab shows as {@code target/screenshots/<name>.png}. */
  void screenshot(String name) {
    Path folder = Path.of(System.getProperty("parley.it.screenshots", "target/screenshots"));
    try {
      Files.createDirectories(folder);
      Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try {
      Folders.delete(profile);
    } catch (UncheckedIOException e) {
      System.err.println("Could not delete the browser profile " + profile + ": " + e);
    }
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String missing =
        "headless Chromium ("
            + CHROMIUM
            + ") and ChromeDriver ("
            + CHROMEDRIVER
            + ") are needed for the page's tests";
    Required.missing(
        "the chat page's browser tests",
        missing + " (sudo apt-get install -y chromium chromium-driver)");
  }
}
