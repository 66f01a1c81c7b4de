package com.asconboard.logging;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Names the ticket a piece of work is about in every line logged meanwhile on this thread (the {@code ticket}
 * field of {@code LOG_FORMAT=json}, {@code [ASC-12]} in text lines):
 * <pre>{@code try (var ignored = LogContext.forTicket(ticket.id())) { ... } }</pre>
 * Closing restores what was there before, so contexts nest.
 */
public final class LogContext implements AutoCloseable {
    /** The MDC key; the value is the ticket's key as users see it ({@code ASC-12}). */
    public static final String TICKET = "ticket";
    /** Ticket keys read {@code ASC-<n>} everywhere (Ticket.PREFIX); logging depends on no domain class. */
    private static final String TICKET_PREFIX = "ASC-";

    private final String key;
    private final String previous;

    private LogContext(String key, String value) {
        this.key = key;
        this.previous = MDC.get(key);
        MDC.put(key, value);
    }

    public static LogContext forTicket(long ticketId) {
        if (ticketId <= 0) {
            throw new IllegalArgumentException("a ticket id is a positive number, got " + ticketId);
        }
        return new LogContext(TICKET, TICKET_PREFIX + ticketId);
    }

    /**
     * {@code task} run with the log context of the thread that calls this: work handed to an executor keeps
     * naming its ticket. The caller's context is captured now; the worker's own is restored afterwards.
     */
    public static Runnable carry(Runnable task) {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> own = MDC.getCopyOfContextMap();
            replace(captured);
            try {
                task.run();
            } finally {
                replace(own);
            }
        };
    }

    private static void replace(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
