package com.asconboard.asc;

import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Proves against App Store Connect that the vendor can work with a customer's account, check by check. */
public final class Verifier {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String MANUAL_CHECK = "Ask the customer to confirm the invitation, then press Confirm access "
            + "granted.";

    /** What the ticket claims about the account; any field may be null. */
    public record Claims(String teamId, String teamName, String vendorAppleId, Set<String> vendorSerials) {
    }

    public VerificationReport verify(AppStoreConnect asc, Claims claims, Instant now) {
        List<Check> checks = new java.util.ArrayList<>();
        Check auth = authentication(asc);
        checks.add(auth);
        if (auth.outcome() != Outcome.PASSED) {
            String why = auth.outcome() == Outcome.FAILED ? "skipped: Apple did not accept the key"
                    : "skipped: App Store Connect could not be reached";
            if (auth.cause() != null && auth.cause().blocksAccount()) {
                why = "skipped: Apple blocks the account until " + auth.cause().actor().words() + " acts";
            }
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
        CertificateSlots census = certificates == null ? null
                : CertificateSlots.count(certificates, serials(claims), now);
        checks.add(census == null ? new Check(Kind.SLOTS, Outcome.UNKNOWN,
                "could not tell: the certificates could not be read", null) : census.check());
        VerificationReport.Invitation[] invitation = new VerificationReport.Invitation[1];
        checks.add(vendorUser(asc, claims, now, invitation));
        return new VerificationReport(now, checks, census == null ? List.of() : census.all(), invitation[0]);
    }

    private static Check authentication(AppStoreConnect asc) {
        try {
            int apps = asc.appsVisible();
            return new Check(Kind.AUTHENTICATION, Outcome.PASSED, "Apple accepted the key"
                    + (apps == 0 ? " (the account has no apps yet)" : ""), null);
        } catch (AscException e) {
            Diagnosis d = Diagnosis.of(e);
            return switch (d.kind()) {
                case KEY_REJECTED, ROLE_TOO_LOW, MEMBERSHIP_LAPSED, AGREEMENT_MISSING, FORBIDDEN_OTHER ->
                        new Check(Kind.AUTHENTICATION, Outcome.FAILED, d.problem(), d.fix(), d.kind());
                default -> unknown(Kind.AUTHENTICATION, d);
            };
        }
    }

    /** The certificates refused: an Individual or low-role key, or an account-wide block met only here. */
    private static Check provisioningFailure(AscException e) {
        Diagnosis d = Diagnosis.of(e);
        return switch (d.kind()) {
            case ROLE_TOO_LOW -> new Check(Kind.PROVISIONING, Outcome.FAILED, "the key cannot read certificates ("
                    + e.appleSays() + ")", "Use a Team key (not an Individual key) with the App Manager role: "
                    + "Individual keys cannot use the provisioning endpoints.", d.kind());
            case MEMBERSHIP_LAPSED, AGREEMENT_MISSING, FORBIDDEN_OTHER, KEY_REJECTED ->
                    new Check(Kind.PROVISIONING, Outcome.FAILED, d.problem(), d.fix(), d.kind());
            default -> unknown(Kind.PROVISIONING, d);
        };
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
                    return unknown(Kind.TEAM, Diagnosis.of(e));
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

    /** The vendor user's check; an invitation not accepted (pending or lapsed) is put in {@code invitation[0]}. */
    private static Check vendorUser(AppStoreConnect asc, Claims claims, Instant now,
            VerificationReport.Invitation[] invitation) {
        String email = claims.vendorAppleId();
        if (email == null) {
            return new Check(Kind.VENDOR_USER, Outcome.UNKNOWN, "could not tell: VENDOR_APPLE_ID is not configured",
                    MANUAL_CHECK);
        }
        AscUser user;
        try {
            user = asc.usersNamed(email).stream().filter(u -> email.equalsIgnoreCase(u.username())).findFirst()
                    .orElse(null);
        } catch (AscException e) {
            return cannotRead(e, "the account's users");
        }
        if (user != null) {
            return member(email, user);
        }
        try {
            return invited(email, invitation, asc.invitationsFor(email).stream()
                    .filter(i -> i.email() == null || email.equalsIgnoreCase(i.email())).toList(), now);
        } catch (AscException e) {
            return cannotRead(e, "the account's invitations (" + email + " is not a user yet)");
        }
    }

    private static Check member(String email, AscUser user) {
        if (user.hasImplicitAccess()) {
            return new Check(Kind.VENDOR_USER, Outcome.PASSED, email + " is " + (user.hasRole("ACCOUNT_HOLDER")
                    ? "the Account Holder" : "an Admin") + ": access to certificates and to cloud managed "
                    + "distribution come with the role", null);
        }
        if (!user.mayBeGranted()) {
            return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " has the role " + String.join(", ",
                    user.roles()) + ", which cannot have access to certificates", "In Users and Access, give "
                    + email + " the Developer or App Manager role and tick Access to Certificates, Identifiers & "
                    + "Profiles and Access to Cloud Managed Distribution Certificate.");
        }
        List<String> missing = user.missingGrants();
        if (!missing.isEmpty()) {
            return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " lacks " + String.join(" and ", missing),
                    "In Users and Access, edit " + email + " and tick " + String.join(" and ", missing) + ".");
        }
        return new Check(Kind.VENDOR_USER, Outcome.PASSED, email + " has access to certificates and to cloud "
                + "managed distribution", null);
    }

    /** Not a user: a pending invitation (with its expiry), a lapsed one, or none. */
    private static Check invited(String email, VerificationReport.Invitation[] invitation,
            List<AscInvitation> invitations, Instant now) {
        String invite = "Invite " + email + " in Users and Access with Access to Certificates, Identifiers & "
                + "Profiles and Access to Cloud Managed Distribution Certificate.";
        if (invitations.isEmpty()) {
            return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " is not a user of this account", invite);
        }
        AscInvitation pending = invitations.stream().filter(i -> !i.isExpired(now))
                .max(Comparator.comparing(AscInvitation::expires, Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElse(null);
        if (pending == null) {
            AscInvitation last = invitations.stream().max(Comparator.comparing(AscInvitation::expires)).orElseThrow();
            invitation[0] = new VerificationReport.Invitation(email, last.expires());
            return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " was invited, but the invitation expired "
                    + DAY.format(last.expires()) + " without being accepted (invitations lapse after "
                    + AscInvitation.LIFETIME_DAYS + " days)", "The customer must re-send the invitation to " + email
                    + " in Users and Access; the vendor must then accept it within " + AscInvitation.LIFETIME_DAYS
                    + " days.");
        }
        invitation[0] = new VerificationReport.Invitation(email, pending.expires());
        List<String> missing = pending.missingGrants();
        String lacks = missing.isEmpty() ? "" : " The invitation lacks " + String.join(" and ", missing)
                + ": once it is accepted, edit " + email + " in Users and Access and tick it.";
        if (pending.expires() == null) {
            return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " is invited but has not accepted yet (when "
                    + "the invitation expires is unknown: Apple's date could not be read)", "The vendor must accept "
                    + "the App Store Connect invitation e-mail sent to " + email + "; invitations lapse after "
                    + AscInvitation.LIFETIME_DAYS + " days." + lacks);
        }
        return new Check(Kind.VENDOR_USER, Outcome.FAILED, email + " is invited but has not accepted yet; the "
                + "invitation expires " + MINUTE.format(pending.expires()) + " (" + left(now, pending.expires()) + ")",
                "The vendor must accept the App Store Connect invitation e-mail sent to " + email + " before it "
                        + "expires; after that the customer must re-send it." + lacks);
    }

    /** The key may not read users or invitations (403): say so, with the manual check; other errors as unknown. */
    private static Check cannotRead(AscException e, String what) {
        Diagnosis d = Diagnosis.of(e);
        if (e.status() == 403) {
            return new Check(Kind.VENDOR_USER, Outcome.UNKNOWN, "could not tell: the key may not read " + what,
                    MANUAL_CHECK, d.kind());
        }
        return unknown(Kind.VENDOR_USER, d);
    }

    private static Check unknown(Kind kind, Diagnosis d) {
        return new Check(kind, Outcome.UNKNOWN, "could not tell: " + d.problem(), d.fix(), d.kind());
    }

    private static String left(Instant now, Instant expires) {
        Duration left = Duration.between(now, expires);
        if (left.toDays() >= 1) {
            return "in " + left.toDays() + " day" + (left.toDays() == 1 ? "" : "s");
        }
        long hours = Math.max(1, left.toHours());
        return "in " + (left.toHours() < 1 ? "less than an hour" : hours + " hour" + (hours == 1 ? "" : "s"));
    }

    private static Set<String> serials(Claims claims) {
        if (claims.vendorSerials() == null) {
            return Set.of();
        }
        return claims.vendorSerials().stream().filter(Objects::nonNull).map(s -> s.toUpperCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static String normalise(String name) {
        return Objects.requireNonNullElse(name, "").strip().toLowerCase(Locale.ROOT);
    }
}
