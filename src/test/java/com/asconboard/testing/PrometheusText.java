package com.asconboard.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus text exposition format (0.0.4) read back, strictly: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample, or parsing fails naming the line. The Java client writes this format but ships no
 * reader, so the tests keep this small one.
 */
public final class PrometheusText {
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
            + "(counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? "
            + "([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");

    /** One line of data: a series (name and labels) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (parsed.types.put(type.group(1), type.group(2)) != null) {
                    throw new IllegalArgumentException("family declared twice: " + line);
                }
            } else if (!HELP.matcher(line).matches()) {
                parsed.samples.add(sample(line));
            }
        }
        return parsed;
    }

    private static Sample sample(String line) {
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
            throw new IllegalArgumentException("not a sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (sample.group(3) != null) {
            Matcher label = LABEL.matcher(sample.group(3));
            int end = 0;
            while (label.find() && label.start() == end) {
                labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"")
                        .replace("\\\\", "\\"));
                end = label.end();
            }
            if (end != sample.group(3).length()) {
                throw new IllegalArgumentException("unreadable labels: " + line);
            }
        }
        String value = sample.group(4).replace("+Inf", "Infinity").replace("Inf", "Infinity");
        return new Sample(sample.group(1), labels, Double.parseDouble(value));
    }

    /** The declared type of {@code family} ({@code counter}, {@code gauge}, …), or null when not declared. */
    public String type(String family) {
        return types.get(family);
    }

    public Set<String> families() {
        return types.keySet();
    }

    /** The samples named {@code name} whose labels include every one of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The one sample named {@code name} with (at least) {@code labels}; fails when there is none or several. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = samples(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + labels + ", found " + found);
        }
        return found.get(0).value();
    }

    public double value(String name) {
        return value(name, Map.of());
    }
}
