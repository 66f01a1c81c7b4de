package com.asconboard.keys;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the name of an uploaded file says about the key inside it. */
final class KeyFileName {

    // Browsers and Finder rename repeated downloads: "AuthKey_X (1).p8", "AuthKey_X 2.p8", "AuthKey_X-1.p8".
    // Key ids are letters and digits only, so these suffixes can be told apart from the id.
    private static final Pattern AUTH_KEY = Pattern.compile(
            "(?i:AuthKey_)([A-Za-z0-9]+)(?:\\s*\\(\\d+\\)|\\s+\\d+|-\\d+)?(?:\\.[A-Za-z0-9]+)*");
    private static final Pattern SUBSCRIPTION_KEY = Pattern.compile("(?i)SubscriptionKey_.*");
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]+");

    private final String keyId;
    private final boolean subscriptionKey;

    private KeyFileName(String keyId, boolean subscriptionKey) {
        this.keyId = keyId;
        this.subscriptionKey = subscriptionKey;
    }

    static KeyFileName of(String fileName) {
        if (fileName == null) {
            return new KeyFileName(null, false);
        }
        String base = baseName(fileName).strip();
        if (SUBSCRIPTION_KEY.matcher(base).matches()) {
            return new KeyFileName(null, true);
        }
        Matcher m = AUTH_KEY.matcher(base);
        return new KeyFileName(m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : null, false);
    }

    /**
     * Key ids are compared upper-cased, as App Store Connect shows them.
     *
     * @return the normalised id, or null when {@code keyId} is null or blank
     * @throws IllegalArgumentException if it contains anything but letters and digits
     */
    static String normaliseKeyId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            return null;
        }
        String id = keyId.strip().toUpperCase(Locale.ROOT);
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an App Store Connect key id consists of letters and digits only");
        }
        return id;
    }

    /** The key id in the name, upper-cased, or null if the name is not {@code AuthKey_<ID>.p8}. */
    String keyId() {
        return keyId;
    }

    boolean isSubscriptionKey() {
        return subscriptionKey;
    }

    // Some browsers send the full client path ("C:\fakepath\AuthKey_X.p8").
    private static String baseName(String fileName) {
        int cut = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(cut + 1);
    }
}
