import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parley's own benchmark (JDK 17, one file, no dependencies): against a running server it opens N
 * SSE streams, posts M messages, and prints deliveries/s, post-to-receive latency percentiles, the
 * server's CPU per delivery, memory per idle stream, and POST throughput. It prints figures and
 * asserts nothing. {@code bench/run.sh} starts the server the README's way and runs this.
 *
 * <p>Subscribers are non-blocking sockets read by one selector thread; each message's text is
 * {@code seq S ts T} with T the send time in this JVM's clock, so latency needs no clock sync.
 */
public final class ParleyBench {

  static final int STREAMS_PER_CONNECTION = 90;

  private final URI base;
  private final long serverPid;

  /**
   * Whether the streams speak HTTP/2 (h2c, many per connection) instead of HTTP/1.1, one per
   * connection.
   */
  private static boolean http2;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ParleyBench(URI base, long serverPid) {
    this.base = base;
    this.serverPid = serverPid;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080/"));
    long pid = Long.parseLong(options.getOrDefault("pid", "0"));
    ParleyBench bench = new ParleyBench(base, pid);
    http2 = options.containsKey("http2");
    System.out.printf(
        "Parley benchmark, %s, %d CPUs, server %s (pid %d, affinity %s), generator affinity %s, streams over %s%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        base,
        pid,
        affinity(pid),
        affinity(ProcessHandle.current().pid()),
        http2 ? "HTTP/2 (h2c, " + STREAMS_PER_CONNECTION + " per connection)" : "HTTP/1.1");
    Set<String> run =
        Set.of(
            options
                .getOrDefault("scenarios", "connect,storm,fanout,latency,stalled,idle,posts")
                .split(","));
    if (run.contains("connect")) {
      for (String subs : options.getOrDefault("subs", "1000,5000").split(",")) {
        bench.connect(Integer.parseInt(subs));
      }
    }
    if (run.contains("storm")) {
      for (String subs : options.getOrDefault("subs", "1000,5000").split(",")) {
        bench.storm(
            Integer.parseInt(subs), Integer.parseInt(options.getOrDefault("storm-rate", "20")));
      }
    }
    if (run.contains("fanout")) {
      for (String subs : options.getOrDefault("subs", "1000,5000").split(",")) {
        bench.fanout(
            Integer.parseInt(subs), Integer.parseInt(options.getOrDefault("msgs", "200")), 0);
      }
    }
    if (run.contains("latency")) {
      bench.fanout(
          Integer.parseInt(options.getOrDefault("latency-subs", "1000")),
          Integer.parseInt(options.getOrDefault("latency-msgs", "100")),
          Integer.parseInt(options.getOrDefault("rate", "10")));
    }
    if (run.contains("stalled")) {
      bench.stalled(
          Integer.parseInt(options.getOrDefault("healthy", "1000")),
          Integer.parseInt(options.getOrDefault("stalled", "500")),
          Integer.parseInt(options.getOrDefault("stalled-msgs", "300")),
          Integer.parseInt(options.getOrDefault("rate", "10")));
    }
    if (run.contains("idle")) {
      bench.idle(Integer.parseInt(options.getOrDefault("idle", "10000")));
    }
    if (run.contains("posts")) {
      int posters = Integer.parseInt(options.getOrDefault("posters", "50"));
      // A fresh JVM on two shared cores takes tens of thousands of posts to compile the hot path.
      for (String rounds :
          options.getOrDefault("posts", "40000,40000,40000,40000,40000").split(",")) {
        bench.posts(posters, Integer.parseInt(rounds));
      }
      if (options.containsKey("data-dir")) {
        System.out.printf(
            "store    data folder %,d KB after the posts%n",
            folderKb(Path.of(options.get("data-dir"))));
      }
    }
  }

  // ---- scenarios -------------------------------------------------------------------------------

  /**
   * N streams opened as fast as the server takes them: connects/s, latency to the headers, server
   * CPU.
   */
  private void connect(int subs) throws Exception {
    if (http2) {
      System.out.println("connect  over HTTP/1.1 only: skipped");
      return;
    }
    String room = "bench-connect-" + Long.toString(System.nanoTime(), 36);
    long cpuBefore = cpuTicks();
    long start = System.nanoTime();
    try (Subscribers subscribers = Subscribers.open(base, room, subs, 0)) {
      subscribers.awaitConnected(subs, Duration.ofSeconds(120));
      long wall = subscribers.lastHeadersNanos() - start;
      double cpuSeconds = (cpuTicks() - cpuBefore) / 100.0;
      System.out.printf(
          "connect  %5d streams (%d refused) in %,d ms: %,.0f connects/s, to the headers ms p50 %.1f p99 %.1f max %.1f, "
              + "server CPU %.2f s = %.0f µs/connect%n",
          subs,
          subscribers.refused(),
          wall / 1_000_000,
          subscribers.connected() / (wall / 1e9),
          subscribers.connectLatency(0.5),
          subscribers.connectLatency(0.99),
          subscribers.connectLatency(1.0),
          cpuSeconds,
          cpuSeconds * 1e6 / Math.max(1, subscribers.connected()));
    }
  }

  /**
   * A reconnect storm: N streams take messages posted at {@code rate}/s; every connection drops at
   * once (RST) and reconnects with the Last-Event-ID its stream saw last, while the posts go on.
   * Reports the reconnect wall time, the server's CPU per reconnect, the delivery latency of the
   * messages posted during the storm, and how many streams ended exact (every message from their
   * first on, once).
   */
  private void storm(int subs, int rate) throws Exception {
    if (http2) {
      System.out.println("storm    over HTTP/1.1 only: skipped");
      return;
    }
    String room = "bench-storm-" + Long.toString(System.nanoTime(), 36);
    int most = rate * 120;
    try (Subscribers subscribers = Subscribers.open(base, room, subs, most)) {
      subscribers.awaitConnected(subs, Duration.ofSeconds(120));
      AtomicInteger posted = new AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean posting =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      AtomicInteger failedPosts = new AtomicInteger();
      long postStart = System.nanoTime();
      Thread poster =
          new Thread(
              () -> {
                try {
                  for (int seq = 0; posting.get() && seq < most; seq++) {
                    long due = postStart + seq * 1_000_000_000L / rate;
                    while (System.nanoTime() < due) {
                      Thread.onSpinWait();
                    }
                    failedPosts.addAndGet(
                        post(room, "seq " + seq + " ts " + micros()) == 201 ? 0 : 1);
                    posted.set(seq + 1);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "bench-storm-poster");
      poster.start();
      subscribers.awaitEverySeq(
          rate - 1, Duration.ofSeconds(60)); // a second of posts reached every stream
      int firstOfStorm = posted.get();
      long cpuBefore = cpuTicks();
      long dropped = System.nanoTime();
      subscribers.reconnectAll();
      boolean back = subscribers.awaitReconnected(Duration.ofSeconds(120));
      long wall = subscribers.lastHeadersNanos() - dropped;
      double cpuSeconds = (cpuTicks() - cpuBefore) / 100.0;
      int lastOfStorm = posted.get();
      TimeUnit.SECONDS.sleep(1);
      posting.set(false);
      poster.join();
      int last = posted.get() - 1;
      subscribers.awaitEverySeq(last, Duration.ofSeconds(60));
      System.out.printf(
          "storm    %5d streams at %d posts/s: reconnected %s in %,d ms, server CPU %.2f s = %.0f µs/reconnect, "
              + "latency of the storm's messages ms p50 %.1f p99 %.1f max %.1f, exact %d of %d, %d duplicates, %d posts failed%n",
          subs,
          rate,
          back ? "all" : "NOT ALL",
          wall / 1_000_000,
          cpuSeconds,
          cpuSeconds * 1e6 / subs,
          subscribers.latency(0.5, firstOfStorm, lastOfStorm + 1),
          subscribers.latency(0.99, firstOfStorm, lastOfStorm + 1),
          subscribers.latency(1.0, firstOfStorm, lastOfStorm + 1),
          subscribers.exact(last),
          subs,
          subscribers.duplicates(),
          failedPosts.get());
    }
  }

  /** N streams, M messages (back to back when rate is 0, else at that many per second). */
  private void fanout(int subs, int msgs, int rate) throws Exception {
    String room = "bench-" + Long.toString(System.nanoTime(), 36);
    try (Subscribers subscribers = Subscribers.open(base, room, subs, msgs)) {
      post(room, "warm-up"); // every stream is live once this arrives
      subscribers.awaitOthers(subs, Duration.ofSeconds(60));
      long cpuBefore = cpuTicks();
      long start = System.nanoTime();
      int failed = 0;
      for (int seq = 0; seq < msgs; seq++) {
        if (rate > 0) {
          long due = start + seq * 1_000_000_000L / rate;
          while (System.nanoTime() < due) {
            Thread.onSpinWait();
          }
        }
        failed += post(room, "seq " + seq + " ts " + micros()) == 201 ? 0 : 1;
      }
      boolean complete = subscribers.awaitAll(Duration.ofSeconds(120));
      long end = subscribers.lastDeliveryNanos();
      double cpuSeconds = (cpuTicks() - cpuBefore) / 100.0;
      long delivered = subscribers.delivered();
      double seconds = (end - start) / 1e9;
      System.out.printf(
          "fan-out  %5d streams, %d messages %s: %d of %d delivered%s, %,.0f deliveries/s, latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f, "
              + "server CPU %.2f s = %.1f µs/delivery, %d posts failed, %d duplicates%n",
          subs,
          msgs,
          rate == 0 ? "back to back" : "at " + rate + "/s",
          delivered,
          (long) subs * msgs,
          complete ? "" : " (INCOMPLETE)",
          delivered / seconds,
          subscribers.latency(0.5),
          subscribers.latency(0.9),
          subscribers.latency(0.99),
          subscribers.latency(1.0),
          cpuSeconds,
          cpuSeconds * 1e6 / Math.max(1, delivered),
          failed,
          subscribers.duplicates());
    }
  }

  /**
   * Healthy streams' latency at a fixed rate without, then with, clients that stopped reading in
   * the same room (they connect, then never read, with a small receive buffer).
   */
  private void stalled(int healthy, int stalled, int msgs, int rate) throws Exception {
    String room = "bench-stalled-" + Long.toString(System.nanoTime(), 36);
    List<SocketChannel> stuck = new ArrayList<>();
    try (Subscribers subscribers = Subscribers.open(base, room, healthy, msgs * 2)) {
      post(room, "warm-up");
      subscribers.awaitOthers(healthy, Duration.ofSeconds(60));
      String without = publish(room, subscribers, 0, msgs, rate);
      long rssBefore = rssKb();
      byte[] request =
          ("GET /api/rooms/"
                  + room
                  + "/events HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + "\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < stalled; i++) {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024);
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        channel.write(ByteBuffer.wrap(request));
        stuck.add(channel);
      }
      String with = publish(room, subscribers, msgs, msgs, rate);
      boolean complete = subscribers.awaitAll(Duration.ofSeconds(60));
      System.out.printf(
          "stalled  %d healthy streams at %d/s: without stalled clients %s; beside %d stalled ones %s; %s; server RSS %+,d KB%n",
          healthy,
          rate,
          without,
          stalled,
          with,
          complete ? "every healthy stream got every message" : "HEALTHY STREAMS MISSED MESSAGES",
          rssKb() - rssBefore);
    } finally {
      for (SocketChannel channel : stuck) {
        channel.close();
      }
    }
  }

  /** Posts messages {@code from}.. at a rate and reports the healthy streams' latency for them. */
  private String publish(String room, Subscribers subscribers, int from, int msgs, int rate)
      throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < msgs; i++) {
      long due = start + i * 1_000_000_000L / rate;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      post(room, "seq " + (from + i) + " ts " + micros());
    }
    subscribers.awaitDelivered(
        (long) subscribers.connected() * (from + msgs), Duration.ofSeconds(60));
    return String.format(
        "p50 %.1f p99 %.1f max %.1f ms",
        subscribers.latency(0.5, from, from + msgs),
        subscribers.latency(0.99, from, from + msgs),
        subscribers.latency(1.0, from, from + msgs));
  }

  /** Memory the server holds per idle stream: heap after a full GC, and RSS. */
  private void idle(int streams) throws Exception {
    String room = "bench-idle-" + Long.toString(System.nanoTime(), 36);
    gc();
    long heapBefore = heapUsedKb();
    long rssBefore = rssKb();
    try (Subscribers subscribers = Subscribers.open(base, room, streams, 0)) {
      subscribers.awaitConnected(streams, Duration.ofSeconds(120));
      gc();
      long heapAfter = heapUsedKb();
      long rssAfter = rssKb();
      System.out.printf(
          "idle     %5d streams open (%d refused): heap after GC +%,d KB = %.1f KB/stream, RSS +%,d KB = %.1f KB/stream%n",
          subscribers.connected(),
          subscribers.refused(),
          heapAfter - heapBefore,
          (heapAfter - heapBefore) / (double) subscribers.connected(),
          rssAfter - rssBefore,
          (rssAfter - rssBefore) / (double) subscribers.connected());
    }
  }

  /**
   * POST throughput: {@code posters} clients posting back to back into one room, each on its own
   * keep-alive connection. They write and read plain HTTP/1.1 on blocking sockets: the JDK's
   * HttpClient costs more CPU per request than the server does, and on two shared cores that would
   * measure the generator.
   */
  private void posts(int posters, int total) throws Exception {
    String path =
        base.getPath()
            + "api/rooms/bench-posts-"
            + Long.toString(System.nanoTime(), 36)
            + "/messages";
    AtomicInteger left = new AtomicInteger(total);
    AtomicInteger ok = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(posters);
    long cpuBefore = cpuTicks();
    long ownCpuBefore = ownCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < posters; i++) {
      Thread poster =
          new Thread(
              () -> {
                try (KeepAlive connection = new KeepAlive(base)) {
                  for (int n; (n = left.getAndDecrement()) > 0; ) {
                    int status =
                        connection.post(path, "{\"author\":\"bench\",\"text\":\"post " + n + "\"}");
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 201) {
                      ok.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                } finally {
                  done.countDown();
                }
              });
      poster.start();
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "posts    %d clients, %d posts: %,.0f accepted/s (statuses %s), server CPU %.1f µs/post, generator CPU %.1f µs/post%n",
        posters,
        total,
        ok.get() / seconds,
        statuses,
        (cpuTicks() - cpuBefore) / 100.0 * 1e6 / Math.max(1, ok.get()),
        (ownCpuNanos() - ownCpuBefore) / 1e3 / Math.max(1, ok.get()));
  }

  private static long folderKb(Path folder) throws IOException {
    try (var files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / 1024;
    }
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * A keep-alive HTTP/1.1 connection on a blocking socket; reads each answer whole (by length or
   * chunks) and opens a new connection when the server closes one (Tomcat does after 100 requests).
   */
  private static final class KeepAlive implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAlive(URI base) throws IOException {
      this.host = base.getHost();
      this.port = base.getPort() < 0 ? 80 : base.getPort();
      connect();
    }

    private void connect() throws IOException {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /** Posts a JSON body; the answer's status. */
    int post(String path, String json) throws IOException {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      int status = Integer.parseInt(line().substring(9, 12));
      long length = 0;
      boolean chunked = false;
      boolean closes = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
        String value = header.substring(header.indexOf(':') + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          closes = value.equalsIgnoreCase("close");
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line(), 16); size > 0; size = Long.parseLong(line(), 16)) {
          in.skipNBytes(size);
          line();
        }
        line(); // the empty line after the last chunk (no trailers)
      } else {
        in.skipNBytes(length);
      }
      if (closes) {
        socket.close();
        connect();
      }
      return status;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("the server closed the connection");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private int post(String room, String text) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("api/rooms/" + room + "/messages"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"author\":\"bench\",\"text\":\"" + text + "\"}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  // ---- the server process --------------------------------------------------------------------

  private long cpuTicks() throws IOException {
    if (serverPid == 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11])
        + Long.parseLong(fields[12]); // utime + stime, in clock ticks (100/s)
  }

  private long rssKb() throws IOException {
    if (serverPid == 0) {
      return 0;
    }
    for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  private void gc() throws Exception {
    if (serverPid != 0) {
      new ProcessBuilder("jcmd", Long.toString(serverPid), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  /** Heap in use as {@code jcmd GC.heap_info} tells it ("used 12345K" on the first heap line). */
  private long heapUsedKb() throws Exception {
    if (serverPid == 0) {
      return 0;
    }
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(serverPid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
    return used.find() ? Long.parseLong(used.group(1)) : 0;
  }

  private static String affinity(long pid) {
    try {
      Process taskset =
          new ProcessBuilder("taskset", "-pc", Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      String out =
          new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      taskset.waitFor();
      return out.substring(out.lastIndexOf(':') + 1).strip();
    } catch (IOException | InterruptedException | StringIndexOutOfBoundsException e) {
      return "?";
    }
  }

  private static long micros() {
    return System.nanoTime() / 1000;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }

  // ---- subscribers ---------------------------------------------------------------------------

  /** N SSE streams on non-blocking sockets, read by one selector thread. */
  private static final class Subscribers implements AutoCloseable {

    private final Selector selector;
    private final List<Stream> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.net.http.HttpClient> clients = new ArrayList<>();

    /** The HTTP/2 streams' subscriptions: cancelling one resets its stream. */
    private final List<java.util.concurrent.Flow.Subscription> subscriptions =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    private final int expected;
    private final Thread reader;
    private final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong others = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger complete = new AtomicInteger();
    private volatile long lastDelivery;
    private volatile boolean running = true;

    private Subscribers(Selector selector, int expected) {
      this.selector = selector;
      this.expected = expected;
      this.reader = new Thread(this::read, "bench-reader");
    }

    static Subscribers open(URI base, String room, int count, int expected) throws IOException {
      if (http2) {
        return openHttp2(base, room, count, expected);
      }
      Subscribers subscribers = new Subscribers(Selector.open(), expected);
      subscribers.base = base;
      subscribers.room = room;
      for (int i = 0; i < count; i++) {
        Stream stream = subscribers.new Stream(null);
        subscribers.streams.add(stream);
        subscribers.connect(stream, null);
      }
      subscribers.reader.setDaemon(true);
      subscribers.reader.start();
      return subscribers;
    }

    private URI base;
    private String room;

    private void connect(Stream stream, String lastEventId) throws IOException {
      byte[] request =
          ("GET /api/rooms/"
                  + room
                  + "/events HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\nAccept: text/event-stream\r\n"
                  + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      stream.openedNanos = System.nanoTime();
      SocketChannel channel =
          SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
      channel.setOption(StandardSocketOptions.SO_LINGER, 0); // RST on close: no TIME_WAIT pile-up
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      stream.channel = channel;
      channel.register(selector, SelectionKey.OP_READ, stream);
      selector.wakeup();
    }

    /**
     * Drops every connection at once (RST), then reconnects each stream with the last id it saw.
     */
    void reconnectAll() throws IOException {
      List<Stream> before = List.copyOf(streams);
      for (Stream stream : before) {
        stream.channel.close();
      }
      // What the reader already read from them counts: wait for it to go round twice.
      long round = rounds.get();
      selector.wakeup();
      while (rounds.get() < round + 2) {
        Thread.onSpinWait();
      }
      reconnected.clear();
      for (int i = 0; i < before.size(); i++) {
        Stream next = new Stream(before.get(i));
        streams.set(i, next);
        reconnected.add(next);
        connect(next, before.get(i).lastId);
      }
    }

    /**
     * Rounds of the reader's loop, so that another thread can wait for what it has read to be
     * counted.
     */
    private final AtomicLong rounds = new AtomicLong();

    private final List<Stream> reconnected = new java.util.concurrent.CopyOnWriteArrayList<>();

    boolean awaitReconnected(Duration timeout) throws InterruptedException {
      return await(() -> reconnected.stream().allMatch(s -> s.headersNanos != 0), timeout);
    }

    /** Every stream has seen the message numbered {@code seq}. */
    boolean awaitEverySeq(int seq, Duration timeout) throws InterruptedException {
      return await(() -> streams.stream().allMatch(s -> s.received.has(seq)), timeout);
    }

    /** Streams that saw every message from their first one to {@code last}, none twice. */
    int exact(int last) {
      return (int) streams.stream().filter(s -> s.received.unbrokenTo(last)).count();
    }

    long lastHeadersNanos() {
      return streams.stream().mapToLong(s -> s.headersNanos).max().orElse(0);
    }

    /** Time from a connection's opening to its response headers at quantile q, in ms. */
    double connectLatency(double q) {
      long[] all =
          streams.stream()
              .filter(s -> s.headersNanos != 0)
              .mapToLong(s -> s.headersNanos - s.openedNanos)
              .sorted()
              .toArray();
      return all.length == 0
          ? Double.NaN
          : all[Math.max(0, (int) Math.ceil(q * all.length) - 1)] / 1e6;
    }

    /**
     * The streams over HTTP/2: the JDK's HttpClient, one h2c connection per {@link
     * #STREAMS_PER_CONNECTION} streams (Tomcat allows 100 streams on a connection by default), each
     * upgraded by a first request before the streams are opened on it.
     */
    private static Subscribers openHttp2(URI base, String room, int count, int expected)
        throws IOException {
      Subscribers subscribers = new Subscribers(Selector.open(), expected);
      java.net.http.HttpRequest events =
          java.net.http.HttpRequest.newBuilder(base.resolve("api/rooms/" + room + "/events"))
              .header("Accept", "text/event-stream")
              .build();
      java.net.http.HttpClient client = null;
      for (int i = 0; i < count; i++) {
        if (i % STREAMS_PER_CONNECTION == 0) {
          client =
              java.net.http.HttpClient.newBuilder()
                  .version(java.net.http.HttpClient.Version.HTTP_2)
                  .build();
          try {
            var upgrade =
                client.send(
                    java.net.http.HttpRequest.newBuilder(base.resolve("api/health/live")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            if (upgrade.version() != java.net.http.HttpClient.Version.HTTP_2) {
              throw new IllegalStateException(
                  "the server did not upgrade to h2c: " + upgrade.version());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
          subscribers.clients.add(client);
        }
        Stream stream = subscribers.new Stream(null);
        stream.inBody = true;
        subscribers.streams.add(stream);
        client.sendAsync(
            events,
            info -> {
              if (info.statusCode() == 200
                  && info.version() == java.net.http.HttpClient.Version.HTTP_2) {
                subscribers.connected.incrementAndGet();
              } else {
                subscribers.refused.incrementAndGet();
              }
              return java.net.http.HttpResponse.BodySubscribers.fromSubscriber(
                  new java.util.concurrent.Flow.Subscriber<List<ByteBuffer>>() {
                    @Override
                    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                      subscribers.subscriptions.add(subscription);
                      subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(List<ByteBuffer> buffers) {
                      long now = System.nanoTime();
                      for (ByteBuffer buffer : buffers) {
                        byte[] bytes = new byte[buffer.remaining()];
                        buffer.get(bytes);
                        stream.feed(bytes, bytes.length, now);
                      }
                    }

                    @Override
                    public void onError(Throwable failure) {}

                    @Override
                    public void onComplete() {}
                  });
            });
      }
      return subscribers;
    }

    private void read() {
      ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
      byte[] bytes = new byte[64 * 1024];
      try {
        while (running) {
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            buffer.clear();
            int n;
            try {
              n = ((SocketChannel) key.channel()).read(buffer);
            } catch (IOException e) {
              n = -1;
            }
            if (n < 0) {
              key.cancel();
              continue;
            }
            long now = System.nanoTime();
            buffer.flip();
            buffer.get(bytes, 0, n);
            ((Stream) key.attachment()).feed(bytes, n, now);
          }
          selector.selectedKeys().clear();
          rounds.incrementAndGet();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void awaitConnected(int count, Duration timeout) throws InterruptedException {
      await(() -> connected.get() + refused.get() >= count, timeout);
    }

    /**
     * Every stream has had at least {@code count} events other than bench messages (the warm-up).
     */
    void awaitOthers(int count, Duration timeout) throws InterruptedException {
      await(() -> streams.stream().allMatch(s -> s.warmedUp), timeout);
    }

    void awaitDelivered(long count, Duration timeout) throws InterruptedException {
      await(() -> delivered.get() >= count, timeout);
    }

    /** The latency at quantile q of messages with seq in [from, to), in ms. */
    double latency(double q, int from, int to) {
      long[] all =
          latencies.stream()
              .flatMapToLong(row -> Arrays.stream(row, from, Math.min(to, row.length)))
              .filter(v -> v >= 0)
              .toArray();
      if (all.length == 0) {
        return Double.NaN;
      }
      Arrays.sort(all);
      return all[Math.max(0, (int) Math.ceil(q * all.length) - 1)] / 1000.0;
    }

    boolean awaitAll(Duration timeout) throws InterruptedException {
      return await(() -> complete.get() >= streams.size() - refused.get(), timeout);
    }

    private static boolean await(java.util.function.BooleanSupplier done, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        TimeUnit.MILLISECONDS.sleep(5);
      }
      return true;
    }

    long delivered() {
      return delivered.get();
    }

    long duplicates() {
      return duplicates.get();
    }

    int connected() {
      return connected.get();
    }

    int refused() {
      return refused.get();
    }

    long lastDeliveryNanos() {
      return lastDelivery;
    }

    /** The latency at quantile q (1.0 = the maximum), in ms. */
    double latency(double q) {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v >= 0).toArray();
      if (all.length == 0) {
        return Double.NaN;
      }
      Arrays.sort(all);
      return all[
              Math.min(
                  all.length - 1,
                  (int) Math.ceil(q * all.length) - 1 < 0
                      ? 0
                      : (int) Math.ceil(q * all.length) - 1)]
          / 1000.0;
    }

    @Override
    public void close() throws IOException {
      running = false;
      subscriptions.forEach(java.util.concurrent.Flow.Subscription::cancel);
      try {
        reader.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    }

    /**
     * One stream: HTTP head, then chunked body, then SSE lines; only bench messages are counted.
     */
    /** What one subscriber received, over all its connections. */
    private final class Received {
      final BitSet seen = new BitSet();
      final long[] ownLatencies;
      int count;

      /** Set by each duplicate; read by other threads only after the stream is quiet. */
      volatile boolean twice;

      Received() {
        this.ownLatencies = new long[Math.max(1, expected)];
        Arrays.fill(ownLatencies, -1);
        latencies.add(ownLatencies);
      }

      synchronized boolean has(int seq) {
        return seen.get(seq);
      }

      synchronized boolean unbrokenTo(int last) {
        int first = seen.nextSetBit(0);
        return first >= 0 && !twice && seen.nextClearBit(first) > last;
      }
    }

    /**
     * One connection of a subscriber: HTTP head, then chunked body, then SSE lines; only bench
     * messages are counted.
     */
    private final class Stream {
      private final StringBuilder line = new StringBuilder();
      private final Received received;
      private boolean inBody;
      private boolean chunked;
      private long chunkLeft = -1; // -1: reading a chunk-size line
      private boolean warmedUp;
      private SocketChannel channel;
      private long openedNanos;
      private volatile long headersNanos;
      private volatile String lastId;

      /**
       * A subscriber's first connection ({@code previous} null) or the one that follows {@code
       * previous}.
       */
      Stream(Stream previous) {
        this.received = previous == null ? new Received() : previous.received;
        this.lastId = previous == null ? null : previous.lastId;
        this.warmedUp = previous != null && previous.warmedUp;
      }

      void feed(byte[] bytes, int n, long nowNanos) {
        for (int i = 0; i < n; i++) {
          byte b = bytes[i];
          if (inBody && chunked) {
            if (chunkLeft > 0) {
              chunkLeft--;
              body(b, nowNanos);
              continue;
            }
            if (b == '\n') {
              String size = line.toString().strip();
              line.setLength(0);
              if (!size.isEmpty()) {
                chunkLeft = Long.parseLong(size.split(";")[0], 16);
              }
            } else if (b != '\r') {
              line.append((char) b);
            }
            continue;
          }
          if (inBody) {
            body(b, nowNanos);
            continue;
          }
          if (b == '\n') {
            String header = line.toString().strip();
            line.setLength(0);
            if (header.startsWith("HTTP/1.1 ")) {
              if (header.startsWith("HTTP/1.1 200")) {
                headersNanos = nowNanos;
                connected.incrementAndGet();
              } else {
                refused.incrementAndGet();
              }
            } else if (header.toLowerCase().startsWith("transfer-encoding: chunked")) {
              chunked = true;
            } else if (header.isEmpty()) {
              inBody = true;
            }
          } else if (b != '\r') {
            line.append((char) b);
          }
        }
      }

      private final StringBuilder event = new StringBuilder();

      private void body(byte b, long nowNanos) {
        if (b != '\n') {
          event.append((char) b);
          return;
        }
        if (event.length() > 4 && event.charAt(0) == 'i' && event.indexOf("id: ") == 0) {
          lastId = event.substring(4);
        }
        if (event.length() > 6 && event.charAt(0) == 'd' && event.indexOf("data:") == 0) {
          int seqAt = event.indexOf("\"text\":\"seq ");
          if (seqAt < 0) {
            others.incrementAndGet();
            warmedUp |= event.indexOf("warm-up") >= 0;
          } else {
            int at = seqAt + 12;
            int end = event.indexOf(" ", at);
            int seq = Integer.parseInt(event, at, end, 10);
            int tsAt = event.indexOf("ts ", end) + 3;
            int tsEnd = tsAt;
            while (tsEnd < event.length() && Character.isDigit(event.charAt(tsEnd))) {
              tsEnd++;
            }
            long ts = Long.parseLong(event, tsAt, tsEnd, 10);
            synchronized (received) {
              if (received.seen.get(seq)) {
                duplicates.incrementAndGet();
                received.twice = true;
              } else {
                received.seen.set(seq);
                if (seq < received.ownLatencies.length) {
                  received.ownLatencies[seq] = nowNanos / 1000 - ts;
                }
                delivered.incrementAndGet();
                lastDelivery = nowNanos;
                if (++received.count == expected) {
                  complete.incrementAndGet();
                }
              }
            }
          }
        }
        event.setLength(0);
      }
    }
  }
}
