package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code $ curl} example in the README and in {@code docs/} is run, in the order the
 * documents give, against a fresh server with the documents' settings, and what it prints is
 * compared with the output the document shows: ids' incarnations, times, connection ids and lengths
 * aside. A shown answer with headers lists some of them (in any order); {@code …} stands for any
 * lines; a stream ({@code curl -N}) is cut after a few seconds and may go on past what is shown. So
 * the documents' examples cannot go stale.
 */
class DocsExamplesIT {

  /** What the documents' examples assume: an integration token, and pings within a stream's cut. */
  private static final Map<String, String> SETTINGS =
      Map.of("parley.tokens", "ci-bot:change-me", "parley.heartbeat.seconds", "1");

  private static final String DOCUMENTED_BASE = "http://localhost:8080";
  private static final long STREAM_SECONDS = 3;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  private static final Pattern MESSAGE_ID = Pattern.compile("\\b[a-z0-9]{6}-(\\d+)\\b");
  private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: \\d+$");
  private static final Pattern SESSION_TOKEN = Pattern.compile("ps_[A-Za-z0-9_-]{43}");

  private static ParleyServer server;

  /** One runnable example: where it is, the command, and the output shown under it. */
  record Example(String where, String command, List<String> shown) {}

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        Container.fromSystemProperties() instanceof Container.Tomcat,
        "the documents show Tomcat's answers");
    server = new ParleyServer("docs", SETTINGS).start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyCurlExampleAnswersWhatItsDocumentShows() {
    List<Example> examples = documents().flatMap(doc -> examples(doc).stream()).toList();
    assertFalse(examples.isEmpty(), "the documents have curl examples");
    List<String> wrong = new ArrayList<>();
    for (Example example : examples) {
      String actual = normalized(run(example));
      String expected = normalized(String.join("\n", example.shown()));
      if (!matches(expected, actual, example.command().contains(" -N "))) {
        wrong.add(
            example.where()
                + ": the example's output is not what the server answers\n$ "
                + example.command()
                + "\n--- shown ---\n"
                + expected
                + "\n--- answered ---\n"
                + actual);
      }
    }
    if (!wrong.isEmpty()) {
      fail(wrong.size() + " of " + examples.size() + " examples:\n\n" + String.join("\n\n", wrong));
    }
  }

  @Test
  void theMatcherTellsAWrongOutputFromARightOne() {
    assertEquals(true, matches("a\n…\nd", "a\nb\nc\nd", false));
    assertEquals(false, matches("a\nd", "a\nb\nd", false));
    assertEquals(
        true,
        matches("HTTP/1.1 201\nLocation: x\n\n{}", "HTTP/1.1 201\nA: b\nLocation: x\n\n{}", false));
    assertEquals(
        false,
        matches("HTTP/1.1 201\nLocation: y\n\n{}", "HTTP/1.1 201\nLocation: x\n\n{}", false));
    assertEquals(true, matches("event: a\n\nevent: b", "event: a\n\nevent: b\n\n: ping", true));
    assertEquals(false, matches("event: a\n\nevent: b", "event: a\n\nevent: b\n\n: ping", false));
    assertEquals(
        normalized("{\"id\":\"ab12cd-7\",\"sentAt\":\"2026-11-22T02:52:02.771Z\"}"),
        normalized("{\"id\":\"zz99yy-7\",\"sentAt\":\"2026-12-01T10:00:00.1Z\"}"));
    assertFalse(normalized("qg0lwl-1").equals(normalized("qg0lwl-2")), "sequence numbers count");
  }

  /** The README first, then the documents in {@code docs/} by name. */
  private static Stream<Path> documents() {
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      List<Path> all = new ArrayList<>(List.of(Path.of("README.md")));
      all.addAll(docs.filter(path -> path.toString().endsWith(".md")).sorted().toList());
      return all.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The examples of a document: code blocks' lines from {@code $ curl} to the next command. */
  static List<Example> examples(Path doc) {
    List<String> lines;
    try {
      lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Example> examples = new ArrayList<>();
    int indent = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        indent = indent < 0 ? line.indexOf('`') : -1;
        continue;
      }
      if (indent < 0 || !dedent(line, indent).startsWith("$ curl ")) {
        continue;
      }
      int at = i + 1;
      StringBuilder command = new StringBuilder(dedent(line, indent).substring(2));
      while (command.toString().endsWith("\\")) {
        command.setLength(command.length() - 1);
        command.append(' ').append(dedent(lines.get(++i), indent).strip());
      }
      List<String> shown = new ArrayList<>();
      while (i + 1 < lines.size()
          && !lines.get(i + 1).strip().startsWith("```")
          && !dedent(lines.get(i + 1), indent).startsWith("$ ")) {
        shown.add(dedent(lines.get(++i), indent));
      }
      while (!shown.isEmpty() && shown.get(shown.size() - 1).isBlank()) {
        shown.remove(shown.size() - 1);
      }
      examples.add(new Example(doc + ":" + at, command.toString(), shown));
    }
    return examples;
  }

  private static String dedent(String line, int indent) {
    int cut = 0;
    while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') {
      cut++;
    }
    return line.substring(cut);
  }

  private static String run(Example example) {
    String base = server.uri().toString().replaceAll("/$", "");
    String command = example.command().replace(DOCUMENTED_BASE, base);
    boolean stream = command.contains(" -N ");
    if (stream) {
      command = command.replaceFirst("^curl ", "curl --max-time " + STREAM_SECONDS + " ");
    }
    try {
      Path output = Files.createTempFile("parley-docs", ".out");
      try {
        Process process =
            new ProcessBuilder("bash", "-c", command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail(example.where() + ": the example ran for over 30 s");
        }
        int exit = process.exitValue();
        if (exit != 0 && !(stream && exit == 28)) {
          fail(example.where() + ": curl ended with " + exit + ": " + command);
        }
        return Files.readString(output, StandardCharsets.UTF_8).replace(base, DOCUMENTED_BASE);
      } finally {
        Files.delete(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The output with what changes from run to run masked, in LF lines without trailing blanks. */
  static String normalized(String output) {
    String text = output.replace("\r\n", "\n").replaceAll("(?m)[ \t]+$", "");
    text = UUID.matcher(text).replaceAll("<connection-id>");
    text = TIME.matcher(text).replaceAll("<time>");
    text = MESSAGE_ID.matcher(text).replaceAll("<incarnation>-$1");
    text = LENGTH.matcher(text).replaceAll("Content-Length: <n>");
    text = SESSION_TOKEN.matcher(text).replaceAll("<session-token>");
    return text.strip();
  }

  /**
   * Whether the output is what the document shows: headers (when shown) by inclusion, the rest line
   * by line, {@code …} for any lines; a stream may go on after what is shown.
   */
  static boolean matches(String shown, String actual, boolean stream) {
    List<String> expected = new ArrayList<>(List.of(shown.split("\n", -1)));
    List<String> answered = new ArrayList<>(List.of(actual.split("\n", -1)));
    if (expected.get(0).startsWith("HTTP/")) {
      int shownEnd = expected.indexOf("");
      int answeredEnd = answered.indexOf("");
      List<String> shownHead = expected.subList(0, shownEnd < 0 ? expected.size() : shownEnd);
      List<String> answeredHead =
          answered.subList(0, answeredEnd < 0 ? answered.size() : answeredEnd).stream()
              .map(line -> line.toLowerCase(Locale.ROOT))
              .toList();
      if (!answeredHead.get(0).equals(shownHead.get(0).toLowerCase(Locale.ROOT))) {
        return false;
      }
      for (String header : shownHead) {
        if (!header.equals("…") && !answeredHead.contains(header.toLowerCase(Locale.ROOT))) {
          return false;
        }
      }
      boolean bodyShown = shownEnd >= 0;
      boolean rest = shownHead.get(shownHead.size() - 1).equals("…");
      List<String> answeredBody =
          answeredEnd < 0 ? List.of() : answered.subList(answeredEnd + 1, answered.size());
      if (!bodyShown) {
        return rest || answeredBody.stream().allMatch(String::isEmpty);
      }
      expected = new ArrayList<>(expected.subList(shownEnd + 1, expected.size()));
      answered = new ArrayList<>(answeredBody);
    }
    if (stream) {
      expected.add("…");
    }
    return lines(expected, 0, answered, 0);
  }

  private static boolean lines(List<String> expected, int e, List<String> answered, int a) {
    if (e == expected.size()) {
      return a == answered.size();
    }
    if (expected.get(e).equals("…")) {
      for (int skip = a; skip <= answered.size(); skip++) {
        if (lines(expected, e + 1, answered, skip)) {
          return true;
        }
      }
      return false;
    }
    return a < answered.size()
        && expected.get(e).equals(answered.get(a))
        && lines(expected, e + 1, answered, a + 1);
  }
}
