package io.parley.it;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one Parley server for the whole run, started on first use and stopped when
 * the run ends (held in JUnit's root store, not in a static field). Its settings make the
 * behaviour under test quick to see: a 1 s heartbeat, a short history, a small bound on pending
 * events per stream.
 */
public final class SharedServer implements ParameterResolver {

  static final int HISTORY_SIZE = 100;
  static final int MAX_PENDING = 64;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ParleyServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedServer.class))
        .getOrComputeIfAbsent(
            "server",
            key ->
                new ParleyServer(
                        "shared",
                        Map.of(
                            "parley.heartbeat.seconds", "1",
                            "parley.history.size", Integer.toString(HISTORY_SIZE),
                            "parley.stream.max-pending", Integer.toString(MAX_PENDING)))
                    .start(),
            ParleyServer.class);
  }
}
