package com.asconboard.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of durations in nanoseconds (nearest rank), reported in milliseconds. */
record Stats(int count, double p50, double p99, double max, double mean) {

    static Stats of(long[] nanos) {
        if (nanos.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new Stats(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.99)), ms(sorted[sorted.length - 1]),
                sum / sorted.length / 1e6);
    }

    static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static long[] concat(java.util.List<long[]> parts) {
        int size = parts.stream().mapToInt(p -> p.length).sum();
        long[] all = new long[size];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50_ms", round(p50));
        m.put("p99_ms", round(p99));
        m.put("max_ms", round(max));
        m.put("mean_ms", round(mean));
        return m;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    /** "0.61 / 1.20 / 5.3" */
    String text() {
        return count == 0 ? "—" : fmt(p50) + " / " + fmt(p99) + " / " + fmt(max);
    }

    static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "—";
        }
        if (ms < 10) {
            return String.format("%.2f", ms);
        }
        if (ms < 100) {
            return String.format("%.1f", ms);
        }
        return String.format("%.0f", ms);
    }
}
