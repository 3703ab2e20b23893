package io.parley.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What differs between the servers the integration tests run on: how to lay out an instance's
 * folder and what to put after {@code java} to start it. Chosen by the {@code parley.it.server}
 * system property that each failsafe execution in the POM sets, with {@code parley.it.home} (a
 * Tomcat folder, the Payara Micro jar, or the file that lists Jetty's jars) and {@code
 * parley.it.war}.
 */
sealed interface Container {

  /**
   * One server instance: its folder, its plain and TLS ports, the WAR it serves at the root, and
   * whether it keeps the container's stock connector settings instead of those in
   * docs/deploying.md.
   */
  record Instance(Path base, int port, int tlsPort, Path war, boolean stockSettings) {}

  /** Prepares the instance's folder. */
  void prepare(Instance instance) throws IOException;

  /** The JVM options and main class or jar that start the prepared instance. */
  List<String> launch(Instance instance);

  static Container fromSystemProperties() {
    String server = required("parley.it.server");
    Path home = Path.of(required("parley.it.home"));
    return switch (server) {
      case "tomcat" -> new Tomcat(home);
      case "payara-micro" -> new PayaraMicro(home);
      case "jetty" -> new Jetty(home);
      default -> throw new IllegalStateException("unknown parley.it.server: " + server);
    };
  }

  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          property + " is not set: run the integration tests with ./mvnw verify");
    }
    return value;
  }

  /** A Tomcat (10.1 or 11) from its unpacked folder, with a CATALINA_BASE of the instance's own. */
  record Tomcat(Path home) implements Container {

    /** The connector attributes docs/deploying.md gives for many long-lived streams. */
    static final String README_CONNECTOR =
        "connectionTimeout=\"10000\" maxConnections=\"20000\" acceptCount=\"1024\" socket.txBufSize=\"65536\""
            + " socket.appReadBufSize=\"1024\" socket.appWriteBufSize=\"4096\" encodedSolidusHandling=\"passthrough\"";

    /**
     * The HTTP/2 settings docs/deploying.md gives: a write to a full connection fails as soon as
     * one to HTTP/1.1 does.
     */
    static final String README_HTTP2 = "writeTimeout=\"10000\"";

    /** The name the tests' Tomcats give themselves instead of "Apache Tomcat/…". */
    static final String RENAMED = "Hardened Server/1.0";

    /** What Tomcat's own conf/server.xml sets on its connector. */
    static final String STOCK_CONNECTOR = "connectionTimeout=\"20000\" maxParameterCount=\"1000\"";

    @Override
    public void prepare(Instance instance) throws IOException {
      Path base = instance.base();
      for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
        Files.createDirectories(base.resolve(dir));
      }
      for (String file :
          List.of("web.xml", "catalina.properties", "logging.properties", "context.xml")) {
        Files.copy(
            home.resolve("conf").resolve(file),
            base.resolve("conf").resolve(file),
            StandardCopyOption.REPLACE_EXISTING);
      }
      // Connects and disconnects of streams show in the server's log (target/it/*/logs).
      Files.writeString(
          base.resolve("conf/logging.properties"),
          "\nio.parley.level = FINE\n",
          StandardOpenOption.APPEND);
      String serverXml;
      try (var in = Container.class.getResourceAsStream("/it/server.xml")) {
        serverXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      // Hardening guides rename the server: Parley must not care which container it is on.
      Path serverInfo = base.resolve("lib/org/apache/catalina/util/ServerInfo.properties");
      Files.createDirectories(serverInfo.getParent());
      Files.writeString(serverInfo, "server.info=" + RENAMED + "\n");
      Path keystore = base.resolve("conf/parley-test.p12");
      if (!Files.exists(keystore)) {
        Certificates.make(keystore, "parley-test");
      }
      Files.writeString(
          base.resolve("conf/server.xml"),
          serverXml
              .replace("@CONNECTOR@", instance.stockSettings() ? STOCK_CONNECTOR : README_CONNECTOR)
              .replace("@HTTP2@", instance.stockSettings() ? "" : README_HTTP2)
              .replace("@PORT@", Integer.toString(instance.port()))
              .replace("@TLS_PORT@", Integer.toString(instance.tlsPort()))
              .replace("@KEYSTORE@", keystore.toString()));
      Path root = base.resolve("webapps/ROOT.war");
      if (!Files.exists(root)) {
        Files.copy(instance.war(), root);
      }
    }

    @Override
    public List<String> launch(Instance instance) {
      Path base = instance.base();
      return List.of(
          "-Dcatalina.home=" + home,
          "-Dcatalina.base=" + base,
          "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
          "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
          "-cp",
          home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
          "org.apache.catalina.startup.Bootstrap",
          "start");
    }
  }

  /**
   * Payara Micro from its jar: the WAR at the root, no clustering, a root folder of the instance's
   * own.
   */
  record PayaraMicro(Path jar) implements Container {

    /**
     * A fresh root folder at every start: Payara Micro deploys again what a previous run left in
     * its root folder, then redeploys the WAR given with --deploy, and between the two the
     * application answers for a moment and then goes away. The data folder is outside it.
     */
    @Override
    public void prepare(Instance instance) throws IOException {
      Path base = instance.base();
      Files.createDirectories(base.resolve("logs"));
      Path root = base.resolve("root");
      Folders.delete(root);
      Files.createDirectories(root);
    }

    @Override
    public List<String> launch(Instance instance) {
      return List.of(
          "-jar",
          jar.toString(),
          "--nocluster",
          "--port",
          Integer.toString(instance.port()),
          "--sslport",
          Integer.toString(instance.tlsPort()),
          "--rootdir",
          instance.base().resolve("root").toString(),
          "--contextroot",
          "/",
          "--deploy",
          instance.war().toString());
    }
  }

  /**
   * Jetty 12.1 (ee10), embedded by {@link io.parley.it.jetty.JettyLauncher}, started with only
   * Jetty's jars (listed in {@code classpathFile}) and the launcher, the WAR at the root.
   */
  record Jetty(Path classpathFile) implements Container {

    private static final String PASSWORD = "parley-test";

    @Override
    public void prepare(Instance instance) throws IOException {
      Path base = instance.base();
      Folders.delete(base.resolve("work"));
      for (String dir : List.of("logs", "work")) {
        Files.createDirectories(base.resolve(dir));
      }
      Path keystore = base.resolve("parley-test.p12");
      if (!Files.exists(keystore)) {
        Certificates.make(keystore, PASSWORD);
      }
    }

    @Override
    public List<String> launch(Instance instance) {
      Path base = instance.base();
      Path launcher;
      try {
        launcher =
            Path.of(
                io.parley.it.jetty.JettyLauncher.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        String jars = Files.readString(classpathFile).strip();
        return List.of(
            "-cp",
            jars + java.io.File.pathSeparator + launcher,
            io.parley.it.jetty.JettyLauncher.class.getName(),
            Integer.toString(instance.port()),
            Integer.toString(instance.tlsPort()),
            instance.war().toString(),
            base.resolve("work").toString(),
            base.resolve("parley-test.p12").toString(),
            PASSWORD,
            instance.stockSettings() ? "stock" : "readme");
      } catch (IOException | java.net.URISyntaxException e) {
        throw new IllegalStateException("cannot start Jetty from " + classpathFile, e);
      }
    }
  }
}
