package com.asconboard.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an onboarding ticket active once its five steps pass, at the end of whichever change completed them
 * (a verification, a confirmation, a certificate, an edit), and plans the account's first watch check. The
 * status message then says the account is active and watched.
 */
public final class Activation implements TicketChanges.Settler {
    private static final Logger log = LoggerFactory.getLogger(Activation.class);

    private final TicketChanges changes;
    private final TicketRepository tickets;
    private final Jobs jobs;
    private final Clock jobClock;
    private final Duration watchInterval;

    /** {@code jobClock} is the one jobs are due by (the database's when several instances share them). */
    public Activation(TicketChanges changes, Jobs jobs, Clock jobClock, Duration watchInterval) {
        this.changes = changes;
        this.tickets = changes.tickets();
        this.jobs = jobs;
        this.jobClock = jobClock;
        this.watchInterval = watchInterval;
    }

    /** Whether every one of the five steps passed at {@code now}. */
    public static boolean complete(Ticket ticket, Instant now) {
        return Progress.of(ticket, now).steps().stream().allMatch(s -> s.state() == Step.State.DONE);
    }

    @Override
    public void settle(Ticket before) {
        if (before.lifecycle() != Lifecycle.ONBOARDING) {
            return;
        }
        Ticket after = tickets.find(before.id()).orElse(null);
        Instant now = changes.now();
        if (after == null || after.lifecycle() != Lifecycle.ONBOARDING || !complete(after, now)
                || !tickets.activate(after.id(), now)) {
            return;
        }
        Ticket active = tickets.find(after.id()).orElseThrow();
        changes.record(active, TicketEvent.SYSTEM, TicketEvent.Kind.ACTIVATED, "onboarding complete: all five steps "
                + "passed. " + active.details().customer() + "'s account is active and watched: the key, the "
                + "vendor's certificate and its expiry, the slots, agreements and the team are checked "
                + Durations.every(watchInterval) + ".");
        jobs.watch(active.id(), jobClock.instant().plus(watchInterval));
        log.info("{} is active", active.key());
    }

    /**
     * Activates onboarding tickets whose steps all passed without a change to notice it (tickets from before
     * lifecycles existed); returns how many. Runs with the housekeeping.
     */
    public int catchUp() {
        int activated = 0;
        for (long id : tickets.onboardingWithReport()) {
            Ticket ticket = tickets.find(id).orElse(null);
            if (ticket != null && complete(ticket, changes.now())) {
                changes.apply(id, locked -> null);
                activated++;
            }
        }
        return activated;
    }
}
