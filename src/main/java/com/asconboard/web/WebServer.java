package com.asconboard.web;

import com.asconboard.config.Settings;
import com.slack.api.bolt.App;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one embedded HTTP server: Slack's events, the health check, and the servlets added to it.
 * Requests that arrive slowly or in bulk are bounded before any servlet sees them (see the limits below).
 */
public final class WebServer implements AutoCloseable {
    /** A connection that sends nothing for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A body a servlet reads from the network more slowly than this (bytes per second, since its first
     * byte) is cut off with 408. Slack's servers and a browser sending a key file are far faster.
     */
    static final long MIN_REQUEST_DATA_RATE = 1024;
    /** Request line and headers together; Slack's and browsers' are well under 2 KiB. */
    static final int MAX_REQUEST_HEADERS = 8 * 1024;
    /**
     * A POST body up to this size is received in full before a servlet runs, without holding a thread
     * while it arrives: a slow client costs some memory, never one of the threads Slack's requests need.
     * Slack's requests, and a key upload (at most 16 KiB), fit.
     */
    static final int RECEIVED_BEFORE_DISPATCH = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    /**
     * Listens on {@code BIND_ADDRESS}:{@code PORT}; believes {@code X-Forwarded-For} from
     * {@code TRUSTED_PROXIES} only (see {@link ClientAddress}).
     */
    public WebServer(Settings settings, App slackApp, HttpServlet health) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No per-connection header cache: Slack repeats few header values on a connection, and each
        // cache is a ~100 KB table that every young collection copies for as long as it is young.
        http.setHeaderCacheSize(0);
        http.setRequestHeaderSize(MAX_REQUEST_HEADERS);
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.bindAddress());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        context = new ServletContextHandler();
        context.setContextPath("/");
        addFilter("/*", new ClientAddress(settings.trustedProxies()).filter());
        addFilter("/*", ErrorPages.filter());
        context.addServlet(new ServletHolder("slack", new SlackEventsServlet(slackApp)), SlackRequestGate.PATH);
        context.addServlet(new ServletHolder("health", health), "/healthz");
        context.setErrorHandler(ErrorPages.forContext());

        EagerContentHandler bodies = new EagerContentHandler(context,
                new EagerContentHandler.RetainedContentLoaderFactory(RECEIVED_BEFORE_DISPATCH, -1, false));
        bodies.includeMethod("POST");
        // A body declared larger is refused on its headers by the servlet (413), or read by it with a bound.
        bodies.include(request -> request.getLength() <= RECEIVED_BEFORE_DISPATCH);
        // Requests already in flight finish on SIGTERM; new ones are refused.
        server.setHandler(new GracefulHandler(new SlackRequestGate(bodies, Clock.systemUTC())));
        server.setErrorHandler(ErrorPages.forServer());
        server.setStopTimeout(10_000);
        server.setStopAtShutdown(false);
    }

    /** Runs {@code filter} in front of what is served under {@code pathSpec}; call before {@link #start()}. */
    public void addFilter(String pathSpec, Filter filter) {
        context.addFilter(new FilterHolder(filter), pathSpec, EnumSet.of(DispatcherType.REQUEST));
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
