package com.asconboard.asc;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Apple's refusal to create the vendor's distribution certificate, in words the customer's admin can act
 * on: the slots full (with the certificates in them), a role that may read but not create certificates,
 * a lapsed membership or a missing agreement (the Account Holder's to fix), or Apple's own words.
 */
public final class CertificateRefusal {
    private CertificateRefusal() {
    }

    /** The explanation; when the slots are full it reads the account's certificates to list them. */
    public static String explain(AppStoreConnect asc, AscException refusal, Instant now) {
        List<AscCertificate> inAccount = null;
        if (Diagnosis.of(refusal).kind() == Diagnosis.Kind.SLOTS_FULL) {
            try {
                inAccount = asc.distributionCertificates();
            } catch (AscException unreadable) {
                inAccount = null;
            }
        }
        return explain(refusal, inAccount, now);
    }

    /** The explanation, the account's certificates given (null when they could not be read). */
    public static String explain(AscException refusal, List<AscCertificate> inAccount, Instant now) {
        Diagnosis d = Diagnosis.of(refusal);
        return switch (d.kind()) {
            case SLOTS_FULL -> slotsFull(refusal, inAccount, now);
            case ROLE_TOO_LOW -> "Apple lets this key read certificates but not create a distribution certificate "
                    + "(for some accounts Apple reserves that to the Admin and Account Holder roles; Apple says: "
                    + refusal.appleSays() + "). The customer can give the key the Admin role, or the Account Holder "
                    + "can allow App Managers to create certificates; then press Create certificate.";
            case MEMBERSHIP_LAPSED, AGREEMENT_MISSING -> d.problem() + ". " + d.fix().replace("press Verify now",
                    "press Create certificate");
            case FORBIDDEN_OTHER -> d.problem() + ". Check in App Store Connect that the key still has the App "
                    + "Manager role and that no notice awaits the Account Holder; then press Create certificate.";
            case KEY_REJECTED -> d.problem() + ". " + d.fix();
            case RATE_LIMITED, UNREACHABLE, APPLE_FAILED -> "Apple answered " + refusal.appleSays()
                    + "; try again later";
            case REQUEST_REFUSED -> "Apple answered " + refusal.appleSays();
        };
    }

    private static String slotsFull(AscException refusal, List<AscCertificate> inAccount, Instant now) {
        String type = Diagnosis.slotsFullType(refusal);
        StringBuilder text = new StringBuilder("all ").append(VerificationReport.SLOT_COUNT)
                .append(" distribution-certificate slots are in use");
        if (type != null) {
            text.append(" (Apple: a current ").append(type).append(" certificate or a pending request exists)");
        }
        if (inAccount == null) {
            text.append(" (the list could not be read)");
        } else {
            CertificateSlots census = CertificateSlots.count(inAccount, Set.of(), now);
            text.append(':');
            for (VerificationReport.Slot slot : census.inUse()) {
                text.append("\n• ").append(CertificateSlots.line(slot));
            }
            for (VerificationReport.Slot slot : census.expired()) {
                text.append("\n• ").append(CertificateSlots.line(slot)).append(" — expired, takes no slot");
            }
            if (census.free() > 0) {
                text.append("\nApple counts a pending certificate request too, which the list does not show.");
            }
        }
        return text.append("\nThe customer must revoke one they no longer need (Certificates, Identifiers & "
                + "Profiles → Certificates); revoking does not affect apps already on the App Store. Then press "
                + "Create certificate.").toString();
    }
}
