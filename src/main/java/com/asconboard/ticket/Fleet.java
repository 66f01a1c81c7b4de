package com.asconboard.ticket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The accounts one person may see, for the App Home: those needing attention first, then onboardings in
 * progress (waiting on whom, since when, longest wait first), then active accounts. Each ticket is in one
 * section only.
 */
public final class Fleet {
    private final TicketRepository tickets;
    private final Duration remindAfter;

    public Fleet(TicketRepository tickets, Duration remindAfter) {
        this.tickets = tickets;
        this.remindAfter = remindAfter;
    }

    /** One account: what needs attention (empty when nothing) and where it waits. */
    public record Entry(Ticket ticket, List<String> problems, Waiting waiting) {
    }

    /** The three sections, complete (the view caps them); {@code onboarding} and {@code active} count every ticket. */
    public record Overview(List<Entry> attention, List<Entry> inProgress, List<Entry> active, int onboarding,
            int activeCount) {
    }

    /** Whether a ticket of the workspace changed after {@code since}, so that views published then are out of date. */
    public boolean changedSince(String workspaceId, Instant since) {
        return tickets.changedSince(workspaceId, since);
    }

    /**
     * The open tickets of {@code channelIds} in the workspace (every channel's when null) at {@code now}.
     */
    public Overview of(String workspaceId, Set<String> channelIds, Instant now) {
        List<Entry> attention = new ArrayList<>();
        List<Entry> inProgress = new ArrayList<>();
        List<Entry> active = new ArrayList<>();
        int onboarding = 0;
        int activeCount = 0;
        for (Ticket ticket : tickets.findOpenIn(workspaceId, channelIds)) {
            boolean isActive = ticket.isActive();
            if (isActive) {
                activeCount++;
            } else {
                onboarding++;
            }
            // Only onboardings wait on someone's upload; an active account's pending link is a key replacement.
            PendingLink link = isActive ? null : tickets.activeLink(ticket.id()).orElse(null);
            Entry entry = new Entry(ticket, Attention.of(ticket, now), Waiting.of(ticket, link, remindAfter, now));
            if (!entry.problems().isEmpty()) {
                attention.add(entry);
            } else if (isActive) {
                active.add(entry);
            } else {
                inProgress.add(entry);
            }
        }
        inProgress.sort(Comparator.comparing((Entry e) -> e.waiting().since(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        active.sort(Comparator.comparing(e -> e.ticket().details().customer().toLowerCase(Locale.ROOT)));
        return new Overview(attention, inProgress, active, onboarding, activeCount);
    }
}
