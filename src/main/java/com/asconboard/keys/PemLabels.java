package com.asconboard.keys;

import java.util.Set;
import java.util.regex.Pattern;

/** The PEM block names this package recognises, and how to show an arbitrary one to a customer. */
final class PemLabels {

    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    static final String EC_PARAMETERS = "EC PARAMETERS";
    static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
    static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
    static final String DSA_PRIVATE_KEY = "DSA PRIVATE KEY";

    private static final Set<String> CERTIFICATES =
            Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL", "PKCS7", "CMS");
    private static final Set<String> CERTIFICATE_REQUESTS =
            Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
    private static final Set<String> PUBLIC_KEYS =
            Set.of("PUBLIC KEY", "RSA PUBLIC KEY", "EC PUBLIC KEY", "SSH2 PUBLIC KEY");

    // A label is shown to the customer only if it is plainly a name; anything else could be a
    // fragment of the key body that ended up on an armour line of a damaged file.
    private static final Pattern SHOWABLE = Pattern.compile("[A-Z][A-Z0-9]{0,11}( [A-Z0-9]{1,12}){0,4}");

    private PemLabels() {
    }

    static boolean isCertificate(String label) {
        return CERTIFICATES.contains(label);
    }

    static boolean isCertificateRequest(String label) {
        return CERTIFICATE_REQUESTS.contains(label);
    }

    static boolean isPublicKey(String label) {
        return PUBLIC_KEYS.contains(label);
    }

    static boolean isSshKey(String label) {
        return "OPENSSH PRIVATE KEY".equals(label) || "SSH2 ENCRYPTED PRIVATE KEY".equals(label);
    }

    static String printable(String label) {
        return label != null && label.length() <= 40 && SHOWABLE.matcher(label).matches()
                ? label
                : "(unrecognised)";
    }
}
