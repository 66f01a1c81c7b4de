package com.asconboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The process's meters, scraped as Prometheus text on {@code MANAGEMENT_PORT}: the JVM's, the process's and
 * the count of log lines by level from the start; asc-onboard's own through {@link BotMetrics}; Jetty's through
 * {@link JettyMetrics}; the connection pool's through HikariCP's own tracker ({@code Database.open(..., registry)}).
 * Create it after {@code Logging.configure}: that resets logback, which would drop the log-line counter.
 */
public final class Metrics implements AutoCloseable {
    /** The most distinct values a tag of asc-onboard's own may take; beyond it new series are dropped. */
    static final int MAX_TAG_VALUES = 100;

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> binders = new ArrayList<>();

    private Metrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public static Metrics start() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // A guard, not the design: tags are bounded by construction (enums, path templates), but should a
        // value ever slip through, the series stop growing here instead of in Prometheus.
        registry.config().meterFilter(MeterFilter.maximumAllowableTags(BotMetrics.PREFIX, BotMetrics.ENDPOINT_TAG,
                MAX_TAG_VALUES, MeterFilter.deny()));
        Metrics metrics = new Metrics(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // These hook into the JVM or logback and must be unhooked on close.
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        metrics.binders.add(gc);
        JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
        heapPressure.bindTo(registry);
        metrics.binders.add(heapPressure);
        LogbackMetrics logLines = new LogbackMetrics();
        logLines.bindTo(registry);
        metrics.binders.add(logLines);
        return metrics;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // Stopping: a binder that cannot unhook itself holds nothing that outlives the process.
            }
        }
        registry.close();
    }
}
