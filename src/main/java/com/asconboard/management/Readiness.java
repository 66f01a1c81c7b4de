package com.asconboard.management;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether this instance should be sent work: every check passes (the database answers, its migrations are
 * applied) and it is not draining. {@code /readyz} on the management port and {@code /healthz} on the public
 * port both answer from it. Draining is one way: an instance that started to stop never turns ready again.
 */
public final class Readiness {
    private final Map<String, BooleanSupplier> checks;
    private volatile boolean draining;

    /** {@code checks} by the name that reports them when they fail, e.g. {@code database}, {@code migrations}. */
    public Readiness(Map<String, BooleanSupplier> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /** From now on not ready, whatever the checks say: the load balancer stops sending work here. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** The answer now. While draining the checks are not run: the answer is no either way. */
    public Report report() {
        if (draining) {
            return new Report(true, List.of());
        }
        List<String> failing = new ArrayList<>();
        checks.forEach((name, check) -> {
            if (!passes(check)) {
                failing.add(name);
            }
        });
        return new Report(false, List.copyOf(failing));
    }

    private static boolean passes(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One answer: draining, or the names of the checks that failed. */
    public record Report(boolean draining, List<String> failing) {
        public boolean ready() {
            return !draining && failing.isEmpty();
        }

        /** {@code {"status":"ok"}}, or {@code {"status":"unavailable","database":"down"}} / {@code "draining":true}. */
        public String json() {
            JsonObject body = new JsonObject();
            body.addProperty("status", ready() ? "ok" : "unavailable");
            if (draining) {
                body.addProperty("draining", true);
            }
            failing.forEach(name -> body.addProperty(name, "down"));
            return body.toString();
        }
    }
}
