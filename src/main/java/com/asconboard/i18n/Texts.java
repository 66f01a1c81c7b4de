package com.asconboard.i18n;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * Renders {@link Message}s from the {@code i18n/upload} bundles (UTF-8 properties, one per language,
 * English as the base). Patterns are {@link MessageFormat} patterns; they are written with the
 * typographic apostrophe (’), so no pattern needs MessageFormat's quoting.
 */
public final class Texts {
    static final String BUNDLE = "i18n.upload";
    /** A date and time in the reader's language; every date the page shows is in UTC. */
    static final String WHEN = "format.when";
    // No fallback to the JVM's default locale: a request for English must get the base bundle.
    private static final ResourceBundle.Control CONTROL =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Texts() {
    }

    /** The message as plain text in {@code language}. */
    public static String render(Language language, Message message) {
        return format(language, message.key(), message.args(), Function.identity());
    }

    /**
     * Formats the pattern of {@code key} with {@code args}: messages, dates and strings are rendered
     * as in {@link #render} and then passed through {@code escape}; numbers and other objects go to
     * the pattern as they are. The pattern itself is used as it is. Lets a page render patterns that
     * hold markup, with their text arguments escaped.
     */
    public static String format(Language language, String key, List<Object> args, Function<String, String> escape) {
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            Object arg = args.get(i);
            if (arg instanceof Message message) {
                values[i] = escape.apply(render(language, message));
            } else if (arg instanceof Instant instant) {
                values[i] = escape.apply(when(language, instant));
            } else if (arg instanceof CharSequence text) {
                values[i] = escape.apply(text.toString());
            } else {
                values[i] = arg;
            }
        }
        return new MessageFormat(pattern(language, key), language.locale()).format(values);
    }

    /** The raw pattern of {@code key}, e.g. for checks that every language has every key. */
    public static String pattern(Language language, String key) {
        try {
            return bundle(language).getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no text \"" + key + "\" for " + language, e);
        }
    }

    /** A date and time such as "12 mars 2026 à 14:05 UTC". */
    public static String when(Language language, Instant instant) {
        Locale locale = language.locale();
        String date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(instant);
        String time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(instant);
        return new MessageFormat(pattern(language, WHEN), locale).format(new Object[] {date, time});
    }

    private static ResourceBundle bundle(Language language) {
        return ResourceBundle.getBundle(BUNDLE, language.locale(), Texts.class.getClassLoader(), CONTROL);
    }
}
