package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.List;

/** The rest of a stream's catch-up, read from the log a page at a time as the client takes it. */
interface CatchUpPages {

  /** Message events in the log's order; {@code last} when nothing followed them at the read. */
  record Page(List<OutboundSseEvent> events, boolean last) {}

  /**
   * The messages that follow {@code afterId}. Throws {@link IllegalStateException} when the log can
   * no longer continue exactly from it (the room's history moved past it meanwhile).
   */
  Page after(String afterId);
}
