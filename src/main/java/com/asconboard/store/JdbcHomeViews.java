package com.asconboard.store;

import com.asconboard.ticket.HomeViews;
import java.time.Instant;
import java.util.List;

/** The {@code home_views} table. */
public final class JdbcHomeViews implements HomeViews {
    private final Jdbc jdbc;

    public JdbcHomeViews(Database database) {
        this.jdbc = database.jdbc();
    }

    /** Standard MERGE, which H2 and PostgreSQL 15+ both run. */
    @Override
    public void opened(String userId, String teamId, Instant at) {
        jdbc.update("MERGE INTO home_views h USING (VALUES (CAST(? AS VARCHAR(32)))) AS v (user_id) "
                + "ON h.user_id = v.user_id WHEN MATCHED THEN UPDATE SET team_id = ?, opened_at = ?, published_at = ? "
                + "WHEN NOT MATCHED THEN INSERT (user_id, team_id, opened_at, published_at) VALUES (v.user_id, ?, ?, ?)",
                userId, teamId, at, at, teamId, at, at);
    }

    @Override
    public List<View> publishable(Instant openedSince, Instant publishedBefore, int limit) {
        return jdbc.query("SELECT user_id, team_id, opened_at, published_at FROM home_views WHERE opened_at >= ? "
                + "AND (published_at IS NULL OR published_at < ?) ORDER BY published_at NULLS FIRST, user_id LIMIT ?",
                row -> new View(row.getString(1), row.getString(2), Jdbc.instant(row, 3), Jdbc.instant(row, 4)),
                openedSince, publishedBefore, limit);
    }

    @Override
    public boolean claim(String userId, Instant seen, Instant at) {
        if (seen == null) {
            return jdbc.update("UPDATE home_views SET published_at = ? WHERE user_id = ? AND published_at IS NULL",
                    at, userId) == 1;
        }
        return jdbc.update("UPDATE home_views SET published_at = ? WHERE user_id = ? AND published_at = ?", at, userId,
                seen) == 1;
    }
}
