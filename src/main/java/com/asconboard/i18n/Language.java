package com.asconboard.i18n;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The languages the customer's page speaks. English is the page's own and the answer when unsure. */
public enum Language {
    EN("English"), FR("Français"), DE("Deutsch"), ES("Español");

    /** An Accept-Language header longer than this many ranges is read only that far. */
    private static final int MAX_RANGES = 32;

    private final String endonym;

    Language(String endonym) {
        this.endonym = endonym;
    }

    /** The language's name in itself, as a language switcher shows it. */
    public String endonym() {
        return endonym;
    }

    /** The BCP 47 tag, as in {@code <html lang>} and {@code ?lang=}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag());
    }

    /** The language a tag such as {@code fr} names, if the page speaks it. */
    public static Optional<Language> ofTag(String tag) {
        for (Language language : values()) {
            if (language.tag().equalsIgnoreCase(tag)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }

    /** An explicit choice ({@code ?lang=}) wins; otherwise the browser's preference. */
    public static Language choose(String explicit, String acceptLanguage) {
        return ofTag(explicit).orElseGet(() -> preferred(acceptLanguage));
    }

    /**
     * The first language of an {@code Accept-Language} header, by quality, that the page speaks;
     * English for none, a wildcard first, or a header that cannot be read. Ranges of quality 0 are
     * refused languages. A malformed range is skipped, not the whole header.
     */
    public static Language preferred(String acceptLanguage) {
        if (acceptLanguage == null) {
            return EN;
        }
        List<Locale.LanguageRange> ranges = new ArrayList<>();
        String[] items = acceptLanguage.split(",", MAX_RANGES + 1);
        for (int i = 0; i < Math.min(items.length, MAX_RANGES); i++) {
            try {
                ranges.addAll(Locale.LanguageRange.parse(items[i].trim()));
            } catch (IllegalArgumentException e) {
                // A range such as "fr-;q=x" is ignored; the others still count.
            }
        }
        // Stable: of equal quality, the header's order decides.
        ranges.sort(Comparator.comparingDouble(Locale.LanguageRange::getWeight).reversed());
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() <= 0) {
                break;
            }
            String primary = range.getRange().split("-", 2)[0];
            if (primary.equals("*")) {
                return EN;
            }
            Optional<Language> spoken = ofTag(primary);
            if (spoken.isPresent()) {
                return spoken.get();
            }
        }
        return EN;
    }
}
