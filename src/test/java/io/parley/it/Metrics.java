package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

/** One scrape of {@code /api/metrics}, read the way Prometheus reads its text format. */
final class Metrics {

  private final String text;

  private Metrics(String text) {
    this.text = text;
  }

  /** Metrics as some other client fetched them (curl inside a container, say). */
  static Metrics parse(String text) {
    return new Metrics(text);
  }

  static Metrics scrape(Api api) {
    HttpResponse<String> response = api.get("api/metrics");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return new Metrics(response.body());
  }

  /**
   * The sum of every sample of {@code name} whose labels contain each of {@code labels} (like
   * {@code room="lobby"}).
   */
  double value(String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      String series = line.substring(0, line.lastIndexOf(' '));
      boolean matches = true;
      for (String label : labels) {
        matches &= series.contains(label);
      }
      if (matches) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? sum : 0;
  }

  /** Streams open in a room on the server, as its metrics tell at once. */
  static double openStreams(Api api, String room) {
    return scrape(api).openStreams(room);
  }

  double openStreams(String room) {
    return value("parley_streams_open_room", "room=\"" + room + "\"");
  }

  boolean has(String name) {
    return text.contains("\n" + name + "{")
        || text.contains("\n" + name + " ")
        || text.startsWith(name);
  }

  @Override
  public String toString() {
    return text;
  }
}
