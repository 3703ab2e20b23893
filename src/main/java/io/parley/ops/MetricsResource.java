package io.parley.ops;

import io.parley.stream.RoomStreams;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.HashMap;
import java.util.Map;

/** {@code GET /api/metrics}: Prometheus's text format. */
@Path("metrics")
@Dependent
public class MetricsResource {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final ParleyMetrics metrics;
  private final RoomStreams streams;

  @Inject
  public MetricsResource(ParleyMetrics metrics, RoomStreams streams) {
    this.metrics = metrics;
    this.streams = streams;
  }

  @GET
  @Produces(PROMETHEUS_TEXT)
  public String scrape() {
    Map<String, Integer> byRoom = new HashMap<>();
    Map<String, io.parley.stream.RoomStream> held = streams.listened();
    held.forEach((name, room) -> byRoom.put(name, room.openStreams()));
    return metrics.scrape(byRoom, streams.openStreams(), held.size());
  }
}
