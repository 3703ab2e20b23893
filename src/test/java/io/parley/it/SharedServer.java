package io.parley.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives test classes Parley servers for the whole run, each started on first use and stopped when
 * the run ends (held in JUnit's root store, not in a static field). The plain one's settings make
 * the behaviour under test quick to see: a 1 s heartbeat, a short history, a small bound on pending
 * events per stream. A parameter marked {@link Guarded} gets a server with low limits, integration
 * tokens, an allowed CORS origin, a short edit window and 127.0.0.1 as a trusted proxy, so each
 * test can be a client of its own with {@code X-Forwarded-For}. Both have a moderator. When a test
 * fails, the threads of each shared server that runs are written to its logs folder.
 */
public final class SharedServer implements ParameterResolver, TestExecutionExceptionHandler {

  static final int HISTORY_SIZE = 100;
  static final int MAX_PENDING = 64;

  /** Settings of the guarded server. */
  static final int POSTS_PER_SECOND = 1;

  static final int POSTS_BURST = 3;
  static final int STREAMS_PER_CLIENT = 2;
  static final int STREAMS_PER_NODE = 8;
  static final int SIGN_INS_PER_SECOND = 1;
  static final int SIGN_INS_BURST = 10;
  static final String BOT = "ci-bot";
  static final String BOT_TOKEN = "tok-3f9a1c2e7b5d4a60";
  static final String OTHER_TOKEN = "tok-other-8c1d2e3f4a5b";

  /** A token limited to the rooms {@code releases} and {@code ops-*}. */
  static final String SCOPED_TOKEN = "tok-scoped-5e6f7a8b9c0d";

  static final String ALLOWED_ORIGIN = "https://chat.example.org";

  /** A moderator of both servers, and the token that shows it. */
  static final String MODERATOR = "mod-olga";

  static final String MODERATOR_TOKEN = "tok-mod-9d8c7b6a5f4e";

  /** The guarded server's edit window: short, so that a test sees it close. */
  static final int EDIT_WINDOW_SECONDS = 4;

  /** Marks a {@link ParleyServer} parameter that wants the guarded server. */
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  @interface Guarded {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ParleyServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    boolean guarded = parameter.isAnnotated(Guarded.class);
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedServer.class))
        .getOrComputeIfAbsent(
            guarded ? "guarded" : "shared",
            key -> (guarded ? guarded() : shared()).start(),
            ParleyServer.class);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    if (failure instanceof org.opentest4j.TestAbortedException) {
      throw failure; // skipped, not failed
    }
    ExtensionContext.Store store =
        context.getRoot().getStore(ExtensionContext.Namespace.create(SharedServer.class));
    for (String name : new String[] {"shared", "guarded"}) {
      ParleyServer server = store.get(name, ParleyServer.class);
      if (server != null && server.isRunning()) {
        try {
          System.err.println(
              "["
                  + context.getDisplayName()
                  + " failed] threads of the "
                  + name
                  + " server: "
                  + server.dumpThreads());
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
    }
    throw failure;
  }

  private static ParleyServer shared() {
    return new ParleyServer(
        "shared",
        Map.of(
            "parley.heartbeat.seconds",
            "1",
            "parley.history.size",
            Integer.toString(HISTORY_SIZE),
            "parley.stream.max-pending",
            Integer.toString(MAX_PENDING),
            "parley.moderators",
            MODERATOR + ":" + MODERATOR_TOKEN));
  }

  private static ParleyServer guarded() {
    return new ParleyServer(
        "guarded",
        Map.ofEntries(
            Map.entry("parley.heartbeat.seconds", "1"),
            Map.entry("parley.limit.posts-per-second", Integer.toString(POSTS_PER_SECOND)),
            Map.entry("parley.limit.posts-burst", Integer.toString(POSTS_BURST)),
            Map.entry("parley.limit.streams-per-client", Integer.toString(STREAMS_PER_CLIENT)),
            Map.entry("parley.limit.streams-per-node", Integer.toString(STREAMS_PER_NODE)),
            Map.entry("parley.limit.sign-ins-per-second", Integer.toString(SIGN_INS_PER_SECOND)),
            Map.entry("parley.limit.sign-ins-burst", Integer.toString(SIGN_INS_BURST)),
            Map.entry("parley.limit.body-bytes", "4096"),
            Map.entry("parley.trusted-proxies", "127.0.0.1"),
            Map.entry(
                "parley.tokens",
                BOT + ":" + BOT_TOKEN + ",deploy:" + OTHER_TOKEN + ",scoped:" + SCOPED_TOKEN),
            Map.entry("parley.tokens.rooms", "scoped:releases|ops-*"),
            Map.entry("parley.moderators", MODERATOR + ":" + MODERATOR_TOKEN),
            Map.entry("parley.edit.window-seconds", Integer.toString(EDIT_WINDOW_SECONDS)),
            Map.entry("parley.cors.origins", ALLOWED_ORIGIN)));
  }
}
