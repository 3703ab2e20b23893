import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded store's way to lend connections (H2's JdbcConnectionPool behind a fair semaphore of
 * 16 turns) against HikariCP with 16 connections, on the same H2 file database: threads that each
 * read one room's latest 64 messages in a loop, as catch-ups do. Prints reads/s and the process's
 * CPU per read for each pool and thread count; asserts nothing. Run by bench/pool-bench.sh.
 */
public final class PoolBench {

  interface Pool extends AutoCloseable {
    Connection borrow() throws SQLException;

    void giveBack(Connection c) throws SQLException;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("pool-bench");
    String url =
        "jdbc:h2:file:" + dir.resolve("parley") + ";FILE_LOCK=FS;WRITE_DELAY=0;RETENTION_TIME=1000";
    fill(url);
    for (int threads : new int[] {4, 16, 64}) {
      for (int round = 0; round < 2; round++) {
        measure("H2 pool + semaphore", turns(url), threads, seconds);
        measure("HikariCP", hikari(url), threads, seconds);
      }
    }
  }

  private static void fill(String url) throws SQLException {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "parley", "");
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE message (room VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, author VARCHAR(256),"
              + " text CHARACTER VARYING, PRIMARY KEY (room, seq))");
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO message VALUES (?, ?, ?, ?)")) {
        for (int room = 0; room < 100; room++) {
          for (int seq = 1; seq <= 1000; seq++) {
            insert.setString(1, "room-" + room);
            insert.setLong(2, seq);
            insert.setString(3, "alice");
            insert.setString(4, "message " + seq + " of room " + room);
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
    }
    pool.dispose();
  }

  private static Pool turns(String url) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "parley", "");
    pool.setMaxConnections(16);
    Semaphore turns = new Semaphore(16, true);
    return new Pool() {
      public Connection borrow() throws SQLException {
        turns.acquireUninterruptibly();
        return pool.getConnection();
      }

      public void giveBack(Connection c) throws SQLException {
        c.close();
        turns.release();
      }

      public void close() {
        pool.dispose();
      }
    };
  }

  private static Pool hikari(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("parley");
    config.setPassword("");
    config.setMaximumPoolSize(16);
    config.setMinimumIdle(16);
    HikariDataSource pool = new HikariDataSource(config);
    return new Pool() {
      public Connection borrow() throws SQLException {
        return pool.getConnection();
      }

      public void giveBack(Connection c) throws SQLException {
        c.close();
      }

      public void close() {
        pool.close();
      }
    };
  }

  private static void measure(String name, Pool pool, int threads, int seconds) throws Exception {
    LongAdder reads = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String room = "room-" + (t % 100);
      Thread worker =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    Connection c = pool.borrow();
                    try (PreparedStatement select =
                        c.prepareStatement(
                            "SELECT seq, author, text FROM message WHERE room = ? ORDER BY seq DESC LIMIT 64")) {
                      select.setString(1, room);
                      try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                          rows.getString(3);
                        }
                      }
                    } finally {
                      pool.giveBack(c);
                    }
                    reads.increment();
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    Thread.sleep(1000); // warm-up, not counted
    long cpuBefore = cpu();
    long readsBefore = reads.sum();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long done = reads.sum() - readsBefore;
    long cpu = cpu() - cpuBefore;
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    pool.close();
    System.out.printf(
        "%-20s %3d threads: %,9.0f reads/s, CPU %,6.1f µs/read%n",
        name, threads, done / elapsed, cpu / 1e3 / done);
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
