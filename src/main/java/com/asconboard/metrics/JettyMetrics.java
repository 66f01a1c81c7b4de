package com.asconboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.jetty12.server.TimedHandler;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's own meters for an HTTP server: its connections and bytes, its thread pool, and its requests by
 * method, status and outcome (never by path: upload links carry their token in the path). Tagged with
 * {@code server} so the public port and the management port stay apart.
 */
public final class JettyMetrics {
    private JettyMetrics() {
    }

    /**
     * Instruments {@code server}: call after its connectors and handler are set and before it starts. The
     * request timer wraps the current handler, and lets it finish requests in flight on a graceful stop.
     */
    public static void instrument(Server server, String name, MeterRegistry registry) {
        Tags tags = Tags.of("server", name);
        JettyConnectionMetrics.addToAllConnectors(server, registry, tags);
        new JettyServerThreadPoolMetrics(server.getThreadPool(), tags).bindTo(registry);
        TimedHandler timed = new TimedHandler(registry, tags);
        timed.setHandler(server.getHandler());
        server.setHandler(timed);
    }
}
