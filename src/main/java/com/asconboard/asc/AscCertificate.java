package com.asconboard.asc;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate as App Store Connect lists it. Unknown types are kept as given; the subject's
 * {@code OU} (Team ID) and {@code O} (Team Name) come from the X.509 content when it is readable.
 * {@code expires} is Apple's {@code expirationDate}, else the X.509 {@code notAfter}; null means
 * unknown — never "does not expire".
 */
public record AscCertificate(String id, String name, String type, String displayName, String serialNumber,
        String platform, Instant expires, String content, String subjectTeamId, String subjectTeamName) {

    /** The types that take one of the team's distribution slots. */
    public static final Set<String> DISTRIBUTION_TYPES = Set.of("DISTRIBUTION", "IOS_DISTRIBUTION");

    static AscCertificate from(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        String content = Json.string(a, "certificateContent");
        X509Certificate x509 = x509(content);
        String[] subject = subject(x509);
        Instant expires = AppleDates.parse(Json.string(a, "expirationDate"))
                .orElse(x509 == null ? null : x509.getNotAfter().toInstant());
        return new AscCertificate(Json.string(resource, "id"), Json.string(a, "name"), Json.string(a, "certificateType"),
                Json.string(a, "displayName"), Json.string(a, "serialNumber"), Json.string(a, "platform"),
                expires, content, subject[0], subject[1]);
    }

    public boolean isDistribution() {
        return type != null && DISTRIBUTION_TYPES.contains(type);
    }

    /** Expired for sure. An unknown expiry is not expired: such a certificate still counts as in use. */
    public boolean isExpired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    public boolean expiryUnknown() {
        return expires == null;
    }

    /** A readable name: Apple's name with its display name (who made it, or from where), else the id. */
    public String label() {
        if (name != null && displayName != null && !name.equals(displayName)) {
            return name + " (" + displayName + ")";
        }
        return name != null ? name : displayName != null ? displayName : id;
    }

    static X509Certificate x509(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** {OU, O} of the certificate's subject, or nulls when the content is absent or unreadable. */
    static String[] subject(X509Certificate cert) {
        String[] result = new String[2];
        if (cert == null) {
            return result;
        }
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("OU".equalsIgnoreCase(rdn.getType())) {
                    result[0] = rdn.getValue().toString();
                } else if ("O".equalsIgnoreCase(rdn.getType())) {
                    result[1] = rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            return new String[2];
        }
        return result;
    }
}
