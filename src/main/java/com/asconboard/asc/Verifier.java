package com.asconboard.asc;

import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import com.asconboard.asc.VerificationReport.Slot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Proves against App Store Connect that the vendor can work with a customer's account, check by check. */
public final class Verifier {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** What the ticket claims about the account; any field may be null. */
    public record Claims(String teamId, String teamName, String vendorAppleId, Set<String> vendorSerials) {
    }

    public VerificationReport verify(AppStoreConnect asc, Claims claims, Instant now) {
        List<Check> checks = new ArrayList<>();
        Check auth = authentication(asc);
        checks.add(auth);
        if (auth.outcome() != Outcome.PASSED) {
            String why = auth.outcome() == Outcome.FAILED ? "skipped: Apple did not accept the key"
                    : "skipped: App Store Connect could not be reached";
            for (Kind kind : List.of(Kind.PROVISIONING, Kind.TEAM, Kind.SLOTS, Kind.VENDOR_USER)) {
                checks.add(new Check(kind, Outcome.UNKNOWN, why, null));
            }
            return new VerificationReport(now, checks, List.of());
        }
        List<AscCertificate> certificates = null;
        try {
            certificates = asc.distributionCertificates();
            checks.add(new Check(Kind.PROVISIONING, Outcome.PASSED, "the key can read the account's certificates",
                    null));
        } catch (AscException e) {
            checks.add(provisioningFailure(e));
        }
        checks.add(team(asc, claims, certificates));
        List<Slot> slots = new ArrayList<>();
        checks.add(slots(certificates, claims, now, slots));
        VerificationReport.Invitation[] pending = new VerificationReport.Invitation[1];
        checks.add(vendorUser(asc, claims, pending));
        return new VerificationReport(now, checks, slots, pending[0]);
    }

    private static Check authentication(AppStoreConnect asc) {
        try {
            int apps = asc.appsVisible();
            return new Check(Kind.AUTHENTICATION, Outcome.PASSED, "Apple accepted the key"
                    + (apps == 0 ? " (the account has no apps yet)" : ""), null);
        } catch (AscException e) {
            if (e.status() == 401) {
                return new Check(Kind.AUTHENTICATION, Outcome.FAILED, "Apple rejected the key (" + e.appleSays() + ")",
                        "Key ID, Issuer ID and .p8 must belong to the same key; it may have been revoked. Check the "
                                + "key in App Store Connect → Users and Access → Integrations, or generate a new "
                                + "Team key (App Manager) and upload it.");
            }
            if (e.status() == 403 && e.hasCode("FORBIDDEN.REQUIRED_AGREEMENTS")) {
                return new Check(Kind.AUTHENTICATION, Outcome.FAILED, "a required Apple agreement is missing or "
                        + "has expired", "The Account Holder must sign in to App Store Connect (Business, or "
                        + "developer.apple.com/account) and accept the latest agreement. A new key will not help.");
            }
            if (e.status() == 403) {
                return new Check(Kind.AUTHENTICATION, Outcome.FAILED, "Apple accepted the key but its role is too "
                        + "low (" + e.appleSays() + ")", "Generate a Team key with the App Manager role and upload "
                        + "it.");
            }
            return unknown(Kind.AUTHENTICATION, e);
        }
    }

    private static Check provisioningFailure(AscException e) {
        if (e.status() == 403) {
            return new Check(Kind.PROVISIONING, Outcome.FAILED, "the key cannot read certificates ("
                    + e.appleSays() + ")", "Use a Team key (not an Individual key) with the App Manager role: "
                    + "Individual keys cannot use the provisioning endpoints.");
        }
        return unknown(Kind.PROVISIONING, e);
    }

    private static Check team(AppStoreConnect asc, Claims claims, List<AscCertificate> certificates) {
        String foundId = null;
        String foundName = null;
        if (certificates != null) {
            for (AscCertificate c : certificates) {
                if (c.subjectTeamId() != null) {
                    foundId = c.subjectTeamId();
                    foundName = c.subjectTeamName();
                    break;
                }
            }
        }
        String source = "its certificates";
        if (foundId == null) {
            try {
                List<String> seeds = asc.bundleIdSeeds();
                if (!seeds.isEmpty()) {
                    foundId = seeds.get(0);
                    source = "its bundle IDs";
                }
            } catch (AscException e) {
                if (certificates == null) {
                    return unknown(Kind.TEAM, e);
                }
            }
        }
        if (foundId == null) {
            return new Check(Kind.TEAM, Outcome.UNKNOWN, "could not tell: the account has no distribution "
                    + "certificates or bundle IDs to read its Team ID from", null);
        }
        if (claims.teamId() == null) {
            return new Check(Kind.TEAM, Outcome.UNKNOWN, "the ticket has no Team ID; the account's is " + foundId
                    + (foundName == null ? "" : " (" + foundName + ")"), "Add Team ID " + foundId
                    + " with Edit details.");
        }
        if (!claims.teamId().equalsIgnoreCase(foundId)) {
            return new Check(Kind.TEAM, Outcome.FAILED, "the ticket says Team ID " + claims.teamId()
                    + ", but the key belongs to Team ID " + foundId + (foundName == null ? "" : " (" + foundName + ")"),
                    "Check which team the customer created the key in; fix the Team ID with Edit details or ask "
                            + "for a key from team " + claims.teamId() + ".");
        }
        if (foundName != null && claims.teamName() != null && !normalise(foundName).equals(normalise(
                claims.teamName()))) {
            return new Check(Kind.TEAM, Outcome.FAILED, "Team ID " + foundId + " matches, but Apple calls the team \""
                    + foundName + "\", not \"" + claims.teamName() + "\"", "Correct the Team Name with Edit details.");
        }
        return new Check(Kind.TEAM, Outcome.PASSED, "the key belongs to Team ID " + foundId
                + (foundName == null ? "" : " (" + foundName + ")") + ", as read from " + source, null);
    }

    private static Check slots(List<AscCertificate> certificates, Claims claims, Instant now, List<Slot> slots) {
        if (certificates == null) {
            return new Check(Kind.SLOTS, Outcome.UNKNOWN, "could not tell: the certificates could not be read", null);
        }
        Set<String> ours = claims.vendorSerials() == null ? Set.of() : claims.vendorSerials();
        for (AscCertificate c : certificates) {
            if (c.isDistribution() && !c.isExpired(now)) {
                slots.add(new Slot(c.label(), c.type(), c.expires(), c.serialNumber(), c.serialNumber() != null
                        && ours.contains(c.serialNumber().toUpperCase(Locale.ROOT))));
            }
        }
        boolean vendorHasOne = slots.stream().anyMatch(Slot::vendors);
        int free = VerificationReport.SLOT_COUNT - slots.size();
        String inUse = slots.size() + " of " + VerificationReport.SLOT_COUNT + " in use";
        if (vendorHasOne) {
            return new Check(Kind.SLOTS, Outcome.PASSED, inUse + ", one of them the vendor's certificate", null);
        }
        if (free > 0) {
            return new Check(Kind.SLOTS, Outcome.PASSED, inUse + ", " + free + " free for the vendor", null);
        }
        return new Check(Kind.SLOTS, Outcome.FAILED, "all " + VerificationReport.SLOT_COUNT
                + " distribution-certificate slots are in use (" + describe(slots) + ")",
                "The customer must revoke one distribution certificate they no longer need (Certificates, "
                        + "Identifiers & Profiles → Certificates). Apps already on the App Store keep working.");
    }

    /** The vendor user's check; a pending invitation found is put in {@code pending[0]}. */
    private static Check vendorUser(AppStoreConnect asc, Claims claims, VerificationReport.Invitation[] pending) {
        String email = claims.vendorAppleId();
        if (email == null) {
            return new Check(Kind.VENDOR_USER, Outcome.UNKNOWN, "could not tell: VENDOR_APPLE_ID is not configured",
                    "Ask the customer to confirm the invitation, then press Confirm access granted.");
        }
        try {
            List<AscUser> users = asc.usersNamed(email);
            AscUser user = users.stream().filter(u -> email.equalsIgnoreCase(u.username())).findFirst().orElse(null);
            if (user == null) {
                List<AscUser> invitations = asc.invitationsFor(email);
                if (!invitations.isEmpty()) {
                    pending[0] = new VerificationReport.Invitation(email, invitations.get(0).expires());
                    return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " is invited but has not accepted "
                            + "yet", "The vendor must accept the App Store Connect invitation e-mail sent to " + email
                            + ".");
                }
                return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " is not a user of this account",
                        "Invite " + email + " in Users and Access with Access to Certificates, Identifiers & "
                                + "Profiles and Access to Cloud Managed Distribution Certificate.");
            }
            List<String> missing = new ArrayList<>();
            if (!Boolean.TRUE.equals(user.provisioningAllowed())) {
                missing.add("Access to Certificates, Identifiers & Profiles");
            }
            if (!user.hasRole(AscUser.CLOUD_MANAGED_DISTRIBUTION)) {
                missing.add("Access to Cloud Managed Distribution Certificate");
            }
            if (!missing.isEmpty()) {
                return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " lacks " + String.join(" and ", missing),
                        "In Users and Access, edit " + email + " and tick " + String.join(" and ", missing) + ".");
            }
            return new Check(Kind.VENDOR_USER, Outcome.PASSED, email + " has access to certificates and to cloud "
                    + "managed distribution", null);
        } catch (AscException e) {
            if (e.status() == 403) {
                return new Check(Kind.VENDOR_USER, Outcome.UNKNOWN, "could not tell: the key may not read the "
                        + "account's users", "Ask the customer to confirm the invitation, then press Confirm access "
                        + "granted.");
            }
            return unknown(Kind.VENDOR_USER, e);
        }
    }

    private static Check unknown(Kind kind, AscException e) {
        String why = e.unreachable() ? "App Store Connect did not answer" : "App Store Connect answered "
                + e.appleSays();
        return new Check(kind, Outcome.UNKNOWN, "could not tell: " + why, "Verify again later.");
    }

    private static String describe(List<Slot> slots) {
        List<String> parts = new ArrayList<>();
        for (Slot s : slots) {
            parts.add(s.name() + (s.expires() == null ? "" : ", expires " + DAY.format(s.expires())));
        }
        return String.join("; ", parts);
    }

    private static String normalise(String name) {
        return Objects.requireNonNullElse(name, "").strip().toLowerCase(Locale.ROOT);
    }
}
