package com.asconboard.ticket;

import java.time.Instant;
import java.util.List;

/**
 * Users who opened the bot's Home tab, and when their view was last published: kept in the database, so that
 * whichever instance runs the refresh republishes each view (at a bounded rate) when tickets change.
 */
public interface HomeViews {
    /** A user's Home view: in which workspace, when last opened, when last published (null: never). */
    record View(String userId, String teamId, Instant openedAt, Instant publishedAt) {
    }

    /** Records that the user opened the Home tab, and that their view is being published now. */
    void opened(String userId, String teamId, Instant at);

    /**
     * Views opened since {@code openedSince} and last published before {@code publishedBefore} (or never),
     * least recently published first, at most {@code limit}.
     */
    List<View> publishable(Instant openedSince, Instant publishedBefore, int limit);

    /**
     * Takes the view for publishing if it was last published at {@code seen} (null: never): true for exactly one
     * caller, which then publishes it.
     */
    boolean claim(String userId, Instant seen, Instant at);
}
