package com.asconboard.asc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a verification found: each check passed, failed or could not tell, with a reason and, when
 * something is wrong, the fix in words a customer's admin can act on. Data, not prose. Stored as JSON
 * with the ticket: components are only ever added, and older reports read with the new ones null/false.
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

    /**
     * One check. {@code fix} is null when nothing needs doing. {@code cause} is what Apple's refusal meant
     * when the check ended on one (a rejected key, a lapsed membership, a missing agreement …), else null,
     * so a watcher can tell an account-wide block from a rejected key without reading prose.
     */
    public record Check(Kind kind, Outcome outcome, String reason, String fix, Diagnosis.Kind cause) {
        public Check(Kind kind, Outcome outcome, String reason, String fix) {
            this(kind, outcome, reason, fix, null);
        }
    }

    /**
     * A distribution certificate in the account. One that has not expired takes one of the 3 slots (an
     * unknown expiry counts as in use); an expired one is listed as such and takes none.
     */
    public record Slot(String name, String type, Instant expires, String serialNumber, boolean vendors,
            boolean expired) {
        public Slot(String name, String type, Instant expires, String serialNumber, boolean vendors) {
            this(name, type, expires, serialNumber, vendors, false);
        }
    }

    /**
     * The vendor user's invitation, found pending (not accepted yet): to whom, and when it expires (null when
     * Apple does not say).
     */
    public record Invitation(String email, Instant expires) {
    }

    public VerificationReport {
        checks = List.copyOf(checks);
        slots = slots == null ? List.of() : List.copyOf(slots);
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

    /** Slots not taken by an unexpired distribution certificate. */
    public int freeSlots() {
        return census().free();
    }

    /** The slot count of this report ("2 of 3 in use, one of them the vendor's certificate"). */
    public CertificateSlots census() {
        return CertificateSlots.of(slots);
    }

    /** An account-wide block Apple reported (lapsed membership, missing agreement), or null. */
    public Diagnosis.Kind accountBlock() {
        return checks.stream().map(Check::cause).filter(c -> c != null && c.blocksAccount()).findFirst().orElse(null);
    }

    /**
     * The same report with a newer slot count, e.g. once the vendor's certificate was created: the status
     * then shows the slots as they are now, not as the last verification saw them.
     */
    public VerificationReport withSlots(CertificateSlots census) {
        List<Check> updated = new ArrayList<>();
        boolean replaced = false;
        for (Check c : checks) {
            if (c.kind() == Kind.SLOTS) {
                updated.add(census.check());
                replaced = true;
            } else {
                updated.add(c);
            }
        }
        if (!replaced) {
            updated.add(census.check());
        }
        return new VerificationReport(at, updated, census.all());
    }
}
