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
    /** App Store Connect's Key IDs are 10 letters or digits, e.g. {@code 2X9R4HXF34}. */
    static final int KEY_ID_LENGTH = 10;

    private final String keyId;
    private final boolean subscriptionKey;
    private final boolean malformedKeyId;

    private KeyFileName(String keyId, boolean subscriptionKey, boolean malformedKeyId) {
        this.keyId = keyId;
        this.subscriptionKey = subscriptionKey;
        this.malformedKeyId = malformedKeyId;
    }

    static KeyFileName of(String fileName) {
        if (fileName == null) {
            return new KeyFileName(null, false, false);
        }
        String base = baseName(fileName).strip();
        if (SUBSCRIPTION_KEY.matcher(base).matches()) {
            return new KeyFileName(null, true, false);
        }
        Matcher m = AUTH_KEY.matcher(base);
        if (!m.matches()) {
            return new KeyFileName(null, false, false);
        }
        // A name of Apple's shape with an id of another length was renamed or mangled: its id is not a Key ID
        // (and must never reach the ticket, whose Key ID is 10 characters).
        String id = m.group(1);
        return id.length() == KEY_ID_LENGTH ? new KeyFileName(id.toUpperCase(Locale.ROOT), false, false)
                : new KeyFileName(null, false, true);
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

    /** Whether the name is {@code AuthKey_<id>.p8} with an id that is not 10 letters or digits. */
    boolean hasMalformedKeyId() {
        return malformedKeyId;
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
