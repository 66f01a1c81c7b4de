package com.asconboard.web;

import com.slack.api.bolt.App;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one embedded HTTP server: Slack's events, the health check, and the servlets added to it. */
public final class WebServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    public WebServer(int port, App slackApp, HttpServlet health) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No per-connection header cache: Slack repeats few header values on a connection, and each
        // cache is a ~100 KB table that every young collection copies for as long as it is young.
        http.setHeaderCacheSize(0);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        server.addConnector(connector);

        context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("slack", new SlackEventsServlet(slackApp)), "/slack/events");
        context.addServlet(new ServletHolder("health", health), "/healthz");
        // Requests already in flight finish on SIGTERM; new ones are refused.
        server.setHandler(new GracefulHandler(context));
        // Error pages never show exception messages or stacks: they could carry what a request contained.
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        contextErrors.setShowMessageInTitle(false);
        context.setErrorHandler(contextErrors);
        org.eclipse.jetty.server.handler.ErrorHandler serverErrors = new org.eclipse.jetty.server.handler.ErrorHandler();
        serverErrors.setShowStacks(false);
        serverErrors.setShowMessageInTitle(false);
        serverErrors.setShowCauses(false);
        server.setErrorHandler(serverErrors);
        server.setStopTimeout(10_000);
        server.setStopAtShutdown(false);
    }

    /** Runs {@code filter} in front of what is served under {@code pathSpec}; call before {@link #start()}. */
    public void addFilter(String pathSpec, jakarta.servlet.Filter filter) {
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(filter), pathSpec,
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    }

    /** The Jetty server, for instrumentation before {@link #start()}. */
    public Server jetty() {
        return server;
    }

    /** Serves {@code servlet} under {@code pathSpec}; call before {@link #start()}. */
    public void add(String pathSpec, HttpServlet servlet) {
        context.addServlet(new ServletHolder(servlet), pathSpec);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
