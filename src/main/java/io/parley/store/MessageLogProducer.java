package io.parley.store;

import io.parley.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Logger;

/** Opens the message log that {@code parley.store} names, once, and closes it on shutdown. */
@ApplicationScoped
public class MessageLogProducer {

  private static final Logger LOG = Logger.getLogger(MessageLogProducer.class.getName());

  @Produces
  @ApplicationScoped
  MessageLog open(ParleyConfig config) {
    LOG.info(() -> "Opening the embedded message log in " + config.dataDir());
    return new EmbeddedMessageLog(config.dataDir(), config.historySize());
  }

  void close(@Disposes MessageLog log) {
    log.close();
  }
}
