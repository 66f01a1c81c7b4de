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
import java.util.Set;

/**
 * The team's distribution-certificate slots counted from a certificate list: only unexpired distribution
 * certificates take one of the {@value VerificationReport#SLOT_COUNT}; expired ones are shown as expired;
 * a certificate whose expiry could not be read counts as in use, and the text says its expiry is unknown.
 */
public final class CertificateSlots {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final List<Slot> all;

    private CertificateSlots(List<Slot> all) {
        this.all = List.copyOf(all);
    }

    /** Counts the distribution certificates among {@code certificates}; {@code vendorSerials} marks the vendor's. */
    public static CertificateSlots count(List<AscCertificate> certificates, Set<String> vendorSerials, Instant now) {
        List<Slot> slots = new ArrayList<>();
        for (AscCertificate c : certificates) {
            if (c.isDistribution()) {
                slots.add(slot(c, vendorSerials, now));
            }
        }
        return new CertificateSlots(slots);
    }

    /** The census a stored report holds. */
    public static CertificateSlots of(List<Slot> slots) {
        return new CertificateSlots(slots == null ? List.of() : slots);
    }

    /** This census with the vendor's newly created certificate added (replacing an entry of the same serial). */
    public CertificateSlots withVendorCertificate(AscCertificate created, Instant now) {
        List<Slot> slots = new ArrayList<>();
        for (Slot s : all) {
            if (s.serialNumber() == null || created.serialNumber() == null
                    || !s.serialNumber().equalsIgnoreCase(created.serialNumber())) {
                slots.add(s);
            }
        }
        slots.add(slot(created, created.serialNumber() == null ? Set.of()
                : Set.of(created.serialNumber().toUpperCase(Locale.ROOT)), now));
        return new CertificateSlots(slots);
    }

    /** Every distribution certificate listed, expired ones included. */
    public List<Slot> all() {
        return all;
    }

    public List<Slot> inUse() {
        return all.stream().filter(s -> !s.expired()).toList();
    }

    public List<Slot> expired() {
        return all.stream().filter(Slot::expired).toList();
    }

    public int used() {
        return inUse().size();
    }

    public int free() {
        return Math.max(0, VerificationReport.SLOT_COUNT - used());
    }

    public boolean vendorHasOne() {
        return inUse().stream().anyMatch(Slot::vendors);
    }

    /** "2 of 3 in use, one of them the vendor's certificate", with expired and unknown-expiry ones named. */
    public String census() {
        String text = used() + " of " + VerificationReport.SLOT_COUNT + " in use";
        if (vendorHasOne()) {
            text += ", one of them the vendor's certificate";
        } else if (free() > 0) {
            text += ", " + free() + " free for the vendor";
        }
        return text + notes();
    }

    /** The SLOTS check of a verification report. */
    public Check check() {
        if (vendorHasOne() || free() > 0) {
            return new Check(Kind.SLOTS, Outcome.PASSED, census(), null);
        }
        return new Check(Kind.SLOTS, Outcome.FAILED, "all " + VerificationReport.SLOT_COUNT
                + " distribution-certificate slots are in use (" + describe(inUse()) + ")" + notes(),
                "The customer must revoke one distribution certificate they no longer need (Certificates, "
                        + "Identifiers & Profiles → Certificates). Apps already on the App Store keep working.",
                Diagnosis.Kind.SLOTS_FULL);
    }

    /** One line per certificate: name (who made it), type, expiry, whether it is the vendor's or expired. */
    public static String line(Slot s) {
        return s.name() + " (" + s.type() + ", " + (s.expires() == null ? "expiry unknown"
                : (s.expired() ? "expired " : "expires ") + DAY.format(s.expires()))
                + (s.vendors() ? ", the vendor's" : "") + ")";
    }

    private String notes() {
        StringBuilder text = new StringBuilder();
        List<Slot> expired = expired();
        if (!expired.isEmpty()) {
            text.append("; ").append(expired.size()).append(" expired, not counted (").append(describe(expired))
                    .append(')');
        }
        List<Slot> unknown = inUse().stream().filter(s -> s.expires() == null).toList();
        if (!unknown.isEmpty()) {
            text.append("; the expiry of ").append(String.join(", ", unknown.stream().map(Slot::name).toList()))
                    .append(" could not be read, so it is counted as in use");
        }
        return text.toString();
    }

    private static Slot slot(AscCertificate c, Set<String> vendorSerials, Instant now) {
        boolean ours = c.serialNumber() != null && vendorSerials != null
                && vendorSerials.contains(c.serialNumber().toUpperCase(Locale.ROOT));
        return new Slot(c.label(), c.type(), c.expires(), c.serialNumber(), ours, c.isExpired(now));
    }

    private static String describe(List<Slot> slots) {
        List<String> parts = new ArrayList<>();
        for (Slot s : slots) {
            parts.add(s.name() + (s.expires() == null ? ", expiry unknown"
                    : (s.expired() ? ", expired " : ", expires ") + DAY.format(s.expires())));
        }
        return String.join("; ", parts);
    }
}
