package com.asconboard.config;

import java.util.List;

/** Start-up configuration is missing or malformed; the message names every bad variable. */
public final class InvalidSettingsException extends RuntimeException {
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Configuration problems (" + problems.size() + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
