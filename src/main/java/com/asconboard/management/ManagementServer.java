package com.asconboard.management;

import com.asconboard.metrics.Metrics;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operator's port, apart from the one customers and Slack reach: {@code GET /metrics}, {@code /livez},
 * {@code /readyz} on {@code MANAGEMENT_PORT}, listening on {@code MANAGEMENT_BIND_ADDRESS} (this machine only,
 * by default). Its own few threads, so probes and scrapes answer even while the public server is saturated.
 */
public final class ManagementServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public ManagementServer(String bindAddress, int port, Metrics metrics, Readiness readiness) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("management");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");
        context.addServlet(new ServletHolder("livez", ProbeServlet.liveness()), "/livez");
        context.addServlet(new ServletHolder("readyz", ProbeServlet.readiness(readiness)), "/readyz");
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        contextErrors.setShowMessageInTitle(false);
        context.setErrorHandler(contextErrors);
        server.setHandler(context);
        ErrorHandler serverErrors = new ErrorHandler();
        serverErrors.setShowStacks(false);
        serverErrors.setShowMessageInTitle(false);
        server.setErrorHandler(serverErrors);
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address it listens on. */
    public String host() {
        return connector.getHost();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the management server did not stop: " + e.getMessage(), e);
        }
    }
}
