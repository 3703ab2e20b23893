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
 * Tomcat folder or the Payara Micro jar) and {@code parley.it.war}.
 */
sealed interface Container {

  /** Prepares the instance folder {@code base} to serve {@code war} at the root on {@code port}. */
  void prepare(Path base, int port, Path war) throws IOException;

  /** The JVM options and main class or jar that start the instance prepared in {@code base}. */
  List<String> launch(Path base, int port, Path war);

  static Container fromSystemProperties() {
    String server = required("parley.it.server");
    Path home = Path.of(required("parley.it.home"));
    return switch (server) {
      case "tomcat" -> new Tomcat(home);
      case "payara-micro" -> new PayaraMicro(home);
      default -> throw new IllegalStateException("unknown parley.it.server: " + server);
    };
  }

  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(property + " is not set: run the integration tests with ./mvnw verify");
    }
    return value;
  }

  /** A Tomcat (10.1 or 11) from its unpacked folder, with a CATALINA_BASE of the instance's own. */
  record Tomcat(Path home) implements Container {

    @Override
    public void prepare(Path base, int port, Path war) throws IOException {
      for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
        Files.createDirectories(base.resolve(dir));
      }
      for (String file : List.of("web.xml", "catalina.properties", "logging.properties", "context.xml")) {
        Files.copy(home.resolve("conf").resolve(file), base.resolve("conf").resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      // Connects and disconnects of streams show in the server's log (target/it/*/logs).
      Files.writeString(base.resolve("conf/logging.properties"), "\nio.parley.level = FINE\n", StandardOpenOption.APPEND);
      String serverXml;
      try (var in = Container.class.getResourceAsStream("/it/server.xml")) {
        serverXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Files.writeString(base.resolve("conf/server.xml"), serverXml.replace("@PORT@", Integer.toString(port)));
      Path root = base.resolve("webapps/ROOT.war");
      if (!Files.exists(root)) {
        Files.copy(war, root);
      }
    }

    @Override
    public List<String> launch(Path base, int port, Path war) {
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

  /** Payara Micro from its jar: the WAR at the root, no clustering, a root folder of the instance's own. */
  record PayaraMicro(Path jar) implements Container {

    /**
     * A fresh root folder at every start: Payara Micro deploys again what a previous run left in
     * its root folder, then redeploys the WAR given with --deploy, and between the two the
     * application answers for a moment and then goes away. The data folder is outside it.
     */
    @Override
    public void prepare(Path base, int port, Path war) throws IOException {
      Files.createDirectories(base.resolve("logs"));
      Path root = base.resolve("root");
      Folders.delete(root);
      Files.createDirectories(root);
    }

    @Override
    public List<String> launch(Path base, int port, Path war) {
      return List.of(
          "-jar", jar.toString(),
          "--nocluster",
          "--port", Integer.toString(port),
          "--rootdir", base.resolve("root").toString(),
          "--contextroot", "/",
          "--deploy", war.toString());
    }
  }
}
