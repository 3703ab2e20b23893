package io.parley.it.jetty;

import java.nio.file.Path;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12.1 (ee10) serving a WAR at {@code /}, for the integration tests: the third kind of
 * servlet container, which Parley was not written for. Plain port: HTTP/1.1 and h2c (prior
 * knowledge and upgrade); TLS port: h2 or HTTP/1.1 by ALPN. With {@code stock}, Jetty keeps its own
 * connector settings; otherwise it gets those of docs/deploying.md (a 10 s idle timeout, which is
 * also Jetty's write timeout, and a 64 KiB kernel send buffer per connection). Both ways, as
 * docs/deploying.md says: what Jetty refuses before the application (an ambiguous path) is answered
 * as JSON, not an HTML page, and a stop (SIGTERM) waits up to 10 s for the requests under way, so
 * that streams end with their goodbye.
 *
 * <p>Arguments: port, TLS port, WAR, work folder, PKCS12 keystore, its password, {@code stock} or
 * {@code readme}.
 */
public final class JettyLauncher {

  private JettyLauncher() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int tlsPort = Integer.parseInt(args[1]);
    Path war = Path.of(args[2]);
    Path work = Path.of(args[3]);
    Path keystore = Path.of(args[4]);
    String password = args[5];
    boolean stock = args[6].equals("stock");

    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector plain =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    plain.setHost("127.0.0.1");
    plain.setPort(port);

    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // the tests' certificate names 127.0.0.1
    https.addCustomizer(secure);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(keystore.toString());
    tls.setKeyStorePassword(password);
    tls.setKeyStoreType("PKCS12");
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    ServerConnector secured =
        new ServerConnector(
            server,
            new SslConnectionFactory(tls, alpn.getProtocol()),
            alpn,
            new HTTP2ServerConnectionFactory(https),
            new HttpConnectionFactory(https));
    secured.setHost("127.0.0.1");
    secured.setPort(tlsPort);
    if (!stock) {
      for (ServerConnector connector : new ServerConnector[] {plain, secured}) {
        connector.setIdleTimeout(10_000);
        connector.setAcceptQueueSize(1024);
        connector.setAcceptedSendBufferSize(65_536); // as Tomcat's socket.txBufSize
      }
    }
    server.addConnector(plain);
    server.addConnector(secured);

    WebAppContext app = new WebAppContext();
    app.setContextPath("/");
    app.setWar(war.toString());
    app.setTempDirectory(work.toFile());
    server.setHandler(new GracefulHandler(app));
    server.setStopTimeout(10_000);
    server.setStopAtShutdown(true);
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setDefaultResponseMimeType("application/json");
    server.setErrorHandler(errors);
    server.start();
    server.join();
  }
}
