package com.asconboard.i18n;

import java.util.List;
import java.util.Objects;

/**
 * A customer-facing text: its key in the {@code i18n/upload} bundles and the arguments of its
 * pattern, so that it can be shown in any {@link Language}. An argument may be another message
 * (rendered in the same language), an {@link java.time.Instant} (a date in that language), a
 * number, or a string shown as it is (key ids, file names, block names).
 */
public record Message(String key, List<Object> args) {

    public Message {
        Objects.requireNonNull(key);
        args = List.copyOf(args);
    }

    public static Message of(String key, Object... args) {
        return new Message(key, List.of(args));
    }

    /** The text in English, as the CLI, logs and Slack show it. */
    public String english() {
        return Texts.render(Language.EN, this);
    }

    @Override
    public String toString() {
        return english();
    }
}
