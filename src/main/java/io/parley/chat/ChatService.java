package io.parley.chat;

import io.parley.store.MessageLog;
import io.parley.store.Resume;
import io.parley.stream.RoomStream;
import io.parley.stream.RoomStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Posting and reading a room's messages: validates, appends to the log, then broadcasts. */
@ApplicationScoped
public class ChatService {

  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 500;

  private final MessageLog log;
  private final RoomStreams streams;
  private final MessageRules rules;

  @Inject
  public ChatService(MessageLog log, RoomStreams streams, MessageRules rules) {
    this.log = log;
    this.streams = streams;
    this.rules = rules;
  }

  /** For the CDI proxy only. */
  protected ChatService() {
    this(null, null, null);
  }

  /**
   * Stores the message; the log then hands it to the room's streams (see {@link RoomStreams}) in
   * its order, once it is committed. An integration's post is authored by its name, whatever the
   * body says; nobody else may use that name.
   */
  public Message post(String room, PostMessage request, Poster poster) {
    requireRoom(room);
    PostMessage message = request == null ? null : request.normalized();
    if (poster.isIntegration() && message != null) {
      message = new PostMessage(poster.integration(), message.text());
    }
    rules.check(message);
    if (!poster.isIntegration()) {
      rules.checkNotReserved(message.author());
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return log.append(room, message.author(), message.text(), now, poster.isIntegration());
  }

  /** Messages after {@code after} (or the latest, without it), oldest first. */
  public List<Message> history(String room, String after, int limit) {
    requireRoom(room);
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_HISTORY_LIMIT);
    }
    if (after == null) {
      return log.latest(room, limit);
    }
    Resume resume = log.after(room, after, limit);
    if (resume instanceof Resume.Continue exact) {
      return exact.messages();
    }
    throw new HistoryGoneException(after, ((Resume.Reset) resume).reason());
  }

  public Optional<Message> find(String room, String id) {
    requireRoom(room);
    return log.find(room, id);
  }

  /**
   * Rooms with messages and rooms someone listens to (in cluster mode, on any node), by name,
   * with who is online in each.
   */
  public List<RoomInfo> rooms() {
    Map<String, RoomInfo> rooms = new TreeMap<>();
    Map<String, RoomStream> listened = streams.listened();
    listened.forEach((name, stream) -> rooms.put(name, new RoomInfo(name, stream.online().size(), null)));
    log.rooms()
        .forEach(
            summary -> {
              RoomStream stream = listened.get(summary.name());
              int online = stream == null ? streams.onlineElsewhere(summary.name()).size() : stream.online().size();
              rooms.put(summary.name(), new RoomInfo(summary.name(), online, summary.lastMessageId()));
            });
    return List.copyOf(rooms.values());
  }

  public static void requireRoom(String room) {
    if (!RoomName.isValid(room)) {
      throw new InvalidInputException(
          "room", "must be 1 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
