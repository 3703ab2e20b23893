package io.parley.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.chat.ModerationAction;
import io.parley.core.MessageLog;
import io.parley.stream.StreamObserver;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parley's metrics, kept by Micrometer and scraped in Prometheus's text format at {@code
 * /api/metrics}: open streams (in total and per room, the busiest {@value #ROOM_LABELS} rooms by
 * name and the rest together), rooms held in memory, request bodies still coming, messages posted,
 * deliveries, slow clients cut off, rejected requests by reason, catch-up sizes, the store's
 * latency, and the JVM's memory and threads.
 */
@ApplicationScoped
public class ParleyMetrics implements StreamObserver {

  /** At most this many rooms get a label of their own, so the number of series stays bounded. */
  static final int ROOM_LABELS = 50;

  static final String OTHER_ROOMS = "_other";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter deliveries =
      Counter.builder("parley.deliveries")
          .description("Events written to clients")
          .register(registry);
  private final Counter cutOff =
      Counter.builder("parley.slow.client.disconnects")
          .description("Streams cut off because their client stopped reading")
          .register(registry);
  private final DistributionSummary caughtUp =
      DistributionSummary.builder("parley.replay.messages")
          .description("Stored messages sent to a stream before it went live")
          .register(registry);
  private final MultiGauge streamsPerRoom =
      MultiGauge.builder("parley.streams.open.room")
          .description("Open streams per room on this node (the busiest rooms; the rest as _other)")
          .register(registry);

  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicInteger roomsHeld = new AtomicInteger();
  private final AtomicInteger bodiesReading = new AtomicInteger();

  public ParleyMetrics() {
    Gauge.builder("parley.streams.open", openStreams, AtomicInteger::get)
        .description("Open streams on this node")
        .register(registry);
    Gauge.builder("parley.rooms.held", roomsHeld, AtomicInteger::get)
        .description(
            "Rooms this node holds in memory"
                + " (a stream opened in each within parley.room.idle-seconds)")
        .register(registry);
    Gauge.builder("parley.request.bodies.reading", bodiesReading, AtomicInteger::get)
        .description("Requests whose body is still coming, read without a thread")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  @Override
  public void delivered() {
    deliveries.increment();
  }

  @Override
  public void cutOff() {
    cutOff.increment();
  }

  @Override
  public void caughtUp(int messages) {
    caughtUp.record(messages);
  }

  /**
   * A request's body began to be read without a thread ({@code started}) or is all read or given
   * up.
   */
  public void bodyReading(boolean started) {
    bodiesReading.addAndGet(started ? 1 : -1);
  }

  /** A request refused with a 4xx answer; {@code reason} is one of a small fixed set. */
  public void rejected(String reason) {
    registry.counter("parley.requests.rejected", "reason", reason).increment();
  }

  /** Counts what moderators do ({@code parley.moderation.actions} by action). */
  void moderated(@Observes ModerationAction action) {
    registry.counter("parley.moderation.actions", "action", action.action()).increment();
  }

  /** The log, with every call timed and every append counted as a posted message. */
  public MessageLog timed(MessageLog log) {
    return new TimedMessageLog(log, registry);
  }

  /** The text Prometheus scrapes, with the open streams and the rooms held as they are now. */
  public String scrape(Map<String, Integer> openStreamsByRoom, int openStreams, int roomsHeld) {
    this.openStreams.set(openStreams);
    this.roomsHeld.set(roomsHeld);
    List<Map.Entry<String, Integer>> busiest = new ArrayList<>(openStreamsByRoom.entrySet());
    busiest.sort(
        Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    int others = 0;
    for (int i = 0; i < busiest.size(); i++) {
      if (i < ROOM_LABELS) {
        rows.add(
            MultiGauge.Row.of(Tags.of("room", busiest.get(i).getKey()), busiest.get(i).getValue()));
      } else {
        others += busiest.get(i).getValue();
      }
    }
    if (busiest.size() > ROOM_LABELS) {
      rows.add(MultiGauge.Row.of(Tags.of("room", OTHER_ROOMS), others));
    }
    streamsPerRoom.register(rows, true);
    return registry.scrape();
  }

  @PreDestroy
  void close() {
    registry.close();
  }
}
