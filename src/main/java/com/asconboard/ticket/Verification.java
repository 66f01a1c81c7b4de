package com.asconboard.ticket;

import com.asconboard.asc.VerificationReport;

/** A ticket's verification: whether one is running, and the latest report (null before the first). */
public record Verification(State state, VerificationReport report) {
    public enum State { NONE, RUNNING, DONE }

    public static final Verification NONE = new Verification(State.NONE, null);

    public boolean running() {
        return state == State.RUNNING;
    }
}
