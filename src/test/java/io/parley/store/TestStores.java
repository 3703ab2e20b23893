package io.parley.store;

import io.parley.it.Folders;
import io.parley.it.RedisForTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two stores for tests that run on both: an embedded one in a fresh folder, or the machine's
 * Redis under a fresh key prefix. {@link #close} closes them and deletes their folders and keys.
 */
public final class TestStores implements AutoCloseable {

  private final List<Runnable> closers = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();

  /** An embedded store in a fresh folder. */
  public EmbeddedMessageLog embedded() throws Exception {
    Path folder = Files.createTempDirectory("parley-store");
    folders.add(folder);
    EmbeddedMessageLog log = new EmbeddedMessageLog(folder, 100);
    closers.add(log::close);
    return log;
  }

  /** The machine's Redis under a fresh prefix (fails under CI=true without it). */
  public Redis redis() {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    prefixes.add(prefix);
    Redis redis = new Redis(RedisForTests.URL, prefix);
    closers.add(redis::close);
    return redis;
  }

  @Override
  public void close() {
    closers.forEach(Runnable::run);
    prefixes.forEach(RedisForTests::deleteKeys);
    folders.forEach(Folders::delete);
  }
}
