package com.asconboard.asc;

import java.time.Instant;
import java.util.List;

/**
 * What a verification found: each check passed, failed or could not tell, with a reason and, when
 * something is wrong, the fix in words a customer's admin can act on. Data, not prose.
 */
public record VerificationReport(Instant at, List<Check> checks, List<Slot> slots, Invitation invitation) {
    public static final int SLOT_COUNT = 3;

    public enum Outcome { PASSED, FAILED, UNKNOWN }

    public enum Kind {
        AUTHENTICATION("Apple accepts the key"),
        PROVISIONING("Access to certificates"),
        TEAM("Team"),
        SLOTS("Distribution-certificate slots"),
        VENDOR_USER("Vendor user invited");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** One check. {@code fix} is null when nothing needs doing. */
    public record Check(Kind kind, Outcome outcome, String reason, String fix) {
    }

    /** A certificate taking one of the 3 distribution slots. */
    public record Slot(String name, String type, Instant expires, String serialNumber, boolean vendors) {
    }

    /**
     * The vendor user's invitation, found pending (not accepted yet): to whom, and when it expires (null when
     * Apple does not say).
     */
    public record Invitation(String email, Instant expires) {
    }

    public VerificationReport {
        checks = List.copyOf(checks);
        slots = List.copyOf(slots);
    }

    /** A report that found no pending invitation. */
    public VerificationReport(Instant at, List<Check> checks, List<Slot> slots) {
        this(at, checks, slots, null);
    }

    public Check check(Kind kind) {
        return checks.stream().filter(c -> c.kind() == kind).findFirst()
                .orElse(new Check(kind, Outcome.UNKNOWN, "not checked", null));
    }

    /** The key works for what the vendor needs: it authenticates, reaches certificates, and nothing failed. */
    public boolean verified() {
        return check(Kind.AUTHENTICATION).outcome() == Outcome.PASSED
                && check(Kind.PROVISIONING).outcome() == Outcome.PASSED
                && checks.stream().noneMatch(c -> c.outcome() == Outcome.FAILED);
    }

    public long failures() {
        return checks.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
    }

    public int freeSlots() {
        return Math.max(0, SLOT_COUNT - slots.size());
    }
}
