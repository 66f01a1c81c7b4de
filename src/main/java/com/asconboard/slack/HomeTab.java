package com.asconboard.slack;

import com.asconboard.ticket.Fleet;
import com.asconboard.ticket.HomeViews;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.handler.BoltEventHandler;
import com.slack.api.bolt.response.Response;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.model.event.AppHomeOpenedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's Home tab. Opening it records the user in {@code home_views} (before the ack) and publishes their
 * view after it: the accounts of the channels they are a member of — asked of Slack each time, nothing kept —
 * or every channel's for admins. {@link #refreshDue()} republishes, at most once a minute per user, the views
 * of users who opened the tab in the last day when a ticket of their workspace changed since.
 */
public final class HomeTab implements BoltEventHandler<AppHomeOpenedEvent> {
    private static final Logger log = LoggerFactory.getLogger(HomeTab.class);
    /** Views opened this recently are kept up to date; older ones are published again when next opened. */
    static final Duration RECENT = Duration.ofDays(1);
    /** A view is republished at most this often. */
    static final Duration AT_MOST_EVERY = Duration.ofMinutes(1);
    /**
     * A change this close before a view's publication may not be in it (committed while it was read, or stamped
     * by an instance whose clock is a little behind): such a view is published once more.
     */
    static final Duration MARGIN = Duration.ofSeconds(5);
    /** Views republished per refresh round, so that a round's Slack calls stay bounded. */
    static final int PER_ROUND = 50;

    private final SlackNotifier notifier;
    private final Fleet fleet;
    private final HomeViews views;
    private final Access access;
    private final Background background;
    private final Clock clock;

    HomeTab(SlackNotifier notifier, Fleet fleet, HomeViews views, Access access, Background background, Clock clock) {
        this.notifier = notifier;
        this.fleet = fleet;
        this.views = views;
        this.access = access;
        this.background = background;
        this.clock = clock;
    }

    @Override
    public Response apply(EventsApiPayload<AppHomeOpenedEvent> payload, EventContext ctx) {
        AppHomeOpenedEvent event = payload.getEvent();
        if (event == null || event.getUser() == null || !"home".equals(event.getTab())) {
            return ctx.ack();
        }
        String userId = event.getUser();
        String teamId = payload.getTeamId() != null ? payload.getTeamId() : ctx.getTeamId();
        String refusal = access.homeRefusal(new Access.Actor(userId, null, teamId, payload.getEnterpriseId(), null));
        if (refusal != null) {
            background.run("show the Home tab", null, userId, () -> notifier.publishHome(userId,
                    HomeView.notice(refusal)));
            return ctx.ack();
        }
        // Stamped as published before it is: a refresh running meanwhile does not publish it a second time.
        views.opened(userId, teamId, clock.instant());
        background.run("show the Home tab", null, userId, () -> publish(userId, teamId));
        return ctx.ack();
    }

    /** Publishes the user's view as the tickets are now. */
    void publish(String userId, String teamId) {
        boolean admin = access.isAdmin(userId);
        Set<String> channels = admin ? null : notifier.channelsOf(userId);
        Fleet.Overview overview = fleet.of(teamId, channels, clock.instant());
        notifier.publishHome(userId, HomeView.of(overview, access.installed().url(), admin));
    }

    /**
     * Republishes the views of recent visitors when a ticket of their workspace changed since they were last
     * published; each view is claimed first, so one instance publishes it. Returns how many were published.
     */
    public int refreshDue() {
        Instant now = clock.instant();
        int published = 0;
        for (HomeViews.View view : views.publishable(now.minus(RECENT), now.minus(AT_MOST_EVERY), PER_ROUND)) {
            if (view.publishedAt() != null && !fleet.changedSince(view.teamId(), view.publishedAt().minus(MARGIN))) {
                continue;
            }
            if (!views.claim(view.userId(), view.publishedAt(), now)) {
                continue;
            }
            try {
                publish(view.userId(), view.teamId());
                published++;
            } catch (RuntimeException e) {
                log.warn("could not refresh the Home tab of {}: {}", view.userId(), e.getMessage());
            }
        }
        return published;
    }
}
