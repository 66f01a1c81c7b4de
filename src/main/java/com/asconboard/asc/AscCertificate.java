package com.asconboard.asc;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate as App Store Connect lists it. Unknown types are kept as given; the subject's
 * {@code OU} (Team ID) and {@code O} (Team Name) come from the X.509 content when it is readable.
 */
public record AscCertificate(String id, String name, String type, String displayName, String serialNumber,
        String platform, Instant expires, String content, String subjectTeamId, String subjectTeamName) {

    public static final java.util.Set<String> DISTRIBUTION_TYPES = java.util.Set.of("DISTRIBUTION", "IOS_DISTRIBUTION");

    static AscCertificate from(JsonObject resource) {
        JsonObject a = Json.object(resource, "attributes");
        String content = Json.string(a, "certificateContent");
        String[] subject = subject(content);
        return new AscCertificate(Json.string(resource, "id"), Json.string(a, "name"), Json.string(a, "certificateType"),
                Json.string(a, "displayName"), Json.string(a, "serialNumber"), Json.string(a, "platform"),
                instant(Json.string(a, "expirationDate")), content, subject[0], subject[1]);
    }

    public boolean isDistribution() {
        return type != null && DISTRIBUTION_TYPES.contains(type);
    }

    public boolean isExpired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** A readable name: Apple's name with its display name (who made it, or from where), else the id. */
    public String label() {
        if (name != null && displayName != null && !name.equals(displayName)) {
            return name + " (" + displayName + ")";
        }
        return name != null ? name : displayName != null ? displayName : id;
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** {OU, O} of the certificate's subject, or nulls when the content is absent or unreadable. */
    static String[] subject(String base64) {
        String[] result = new String[2];
        if (base64 == null || base64.isBlank()) {
            return result;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("OU".equalsIgnoreCase(rdn.getType())) {
                    result[0] = rdn.getValue().toString();
                } else if ("O".equalsIgnoreCase(rdn.getType())) {
                    result[1] = rdn.getValue().toString();
                }
            }
        } catch (CertificateException | InvalidNameException | IllegalArgumentException | ClassCastException e) {
            return new String[2];
        }
        return result;
    }
}
