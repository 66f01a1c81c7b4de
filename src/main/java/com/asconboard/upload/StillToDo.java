package com.asconboard.upload;

import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.VerificationReport.Check;
import com.asconboard.asc.VerificationReport.Kind;
import com.asconboard.asc.VerificationReport.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * What is left on the customer's side once Apple accepts their key, read from the verification's other
 * checks: what the page lists under the verdict. Checks that could not tell are left to the vendor.
 */
public enum StillToDo {
    /** The vendor user is not in the account (or lacks its access, or the invitation lapsed). */
    INVITE_VENDOR_USER,
    /** Invited: nothing left for the customer, the vendor accepts the invitation. Said, not asked. */
    VENDOR_ACCEPTS_INVITATION,
    /** All distribution-certificate slots are taken. */
    FREE_SLOT;

    /** asc.Verifier's words for an invitation that waits for the vendor. */
    static final String PENDING_INVITATION = "has not accepted yet";

    static List<StillToDo> of(VerificationReport report) {
        List<StillToDo> left = new ArrayList<>();
        if (report == null) {
            return left;
        }
        Check user = report.check(Kind.VENDOR_USER);
        if (user.outcome() == Outcome.FAILED) {
            boolean pending = user.reason() != null && user.reason().contains(PENDING_INVITATION);
            left.add(pending ? VENDOR_ACCEPTS_INVITATION : INVITE_VENDOR_USER);
        }
        if (report.check(Kind.SLOTS).outcome() == Outcome.FAILED) {
            left.add(FREE_SLOT);
        }
        return left;
    }

    /** Something the customer must do (not only hear about). */
    boolean isTask() {
        return this != VENDOR_ACCEPTS_INVITATION;
    }

    /** For the thread: what the page asked the customer to do. */
    String english() {
        return switch (this) {
            case INVITE_VENDOR_USER -> "invite the vendor user with certificate access";
            case VENDOR_ACCEPTS_INVITATION -> "nothing (the vendor user's invitation waits to be accepted)";
            case FREE_SLOT -> "free a distribution-certificate slot";
        };
    }
}
