package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.stream.EventEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many people arriving in a room at once make a few presence events, not one per arrival for each
 * of them: at most one list per second, and the last one is complete.
 */
@ExtendWith(SharedServer.class)
class PresenceStormIT {

  private static final int PEOPLE = 300;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ParleyServer server;

  PresenceStormIT(ParleyServer server) {
    this.server = server;
  }

  @Test
  void arrivalsAndDeparturesAreCoalescedToAtMostOneListPerSecond() {
    String room = Api.freshRoom("storm");
    String events = "api/rooms/" + room + "/events";
    List<SseClient> people = new ArrayList<>();
    try (SseClient observer = SseClient.open(server, events + "?nick=observer", null)) {
      assertEquals(List.of("observer"), presence(observer).online());

      long start = System.nanoTime();
      for (int i = 0; i < PEOPLE; i++) {
        people.add(SseClient.open(server, events + "?nick=p" + i, null));
      }
      int told = 0;
      EventEncoder.Presence last;
      do {
        last = presence(observer);
        told++;
      } while (last.online().size() < PEOPLE + 1);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(
          told <= Math.ceil(seconds) + 1,
          told + " presence events in " + seconds + " s for " + PEOPLE + " arrivals");
      // Everyone's latest list is the whole room.
      for (SseClient person : people) {
        EventEncoder.Presence latest = latestPresence(person, PEOPLE + 1);
        assertEquals(PEOPLE + 1, latest.online().size());
      }

      start = System.nanoTime();
      people.forEach(SseClient::close);
      told = 0;
      do {
        last = presence(observer);
        told++;
      } while (last.online().size() > 1);
      seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(List.of("observer"), last.online());
      assertTrue(
          told <= Math.ceil(seconds) + 1,
          told + " presence events in " + seconds + " s for " + PEOPLE + " departures");
    } finally {
      people.forEach(SseClient::close);
    }
  }

  private static EventEncoder.Presence presence(SseClient client) {
    return Api.read(client.next(event -> event.is("presence"), WAIT), EventEncoder.Presence.class);
  }

  /** Reads presence events until one lists {@code size} nicks. */
  private static EventEncoder.Presence latestPresence(SseClient client, int size) {
    EventEncoder.Presence latest;
    do {
      latest = presence(client);
    } while (latest.online().size() < size);
    return latest;
  }
}
