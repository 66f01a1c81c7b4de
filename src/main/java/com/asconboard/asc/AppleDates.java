package com.asconboard.asc;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * The date-times App Store Connect sends, read explicitly. Apple writes {@code 2027-02-01T20:50:34.000+0000}
 * (offset without a colon, which {@code OffsetDateTime.parse} refuses on some JDK 17 builds), and in places
 * {@code …+00:00}, {@code …Z}, or no fraction at all. A text none of these fit is unknown, never a guess.
 */
public final class AppleDates {
    /** Date and time with an optional fraction of 0–9 digits, then one offset in any of Apple's spellings. */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMMss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private AppleDates() {
    }

    /** The instant, or empty when the text is absent or in no form Apple uses (the caller says "unknown"). */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            var parsed = FORMAT.parse(text.strip());
            if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                // A local time without an offset could be any of 26 hours: not a date to act on.
                return Optional.empty();
            }
            return Optional.of(Instant.from(parsed));
        } catch (DateTimeException e) {
            // DateTimeParseException included: text in no form Apple uses.
            return Optional.empty();
        }
    }
}
