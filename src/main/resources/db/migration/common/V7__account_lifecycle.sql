-- Accounts for years: a ticket's lifecycle, its owner, reminders and the App Home views.

-- ONBOARDING until the five steps pass, then ACTIVE (watched) until OFFBOARDED; an onboarding that never
-- completed is CLOSED. Open tickets start as onboarding: those already complete become active at the next
-- housekeeping round.
ALTER TABLE tickets RENAME COLUMN status TO lifecycle;
UPDATE tickets SET lifecycle = 'ONBOARDING' WHERE lifecycle = 'OPEN';
ALTER TABLE tickets ADD COLUMN activated_at TIMESTAMP WITH TIME ZONE;

-- The engineer reminders mention: the opener unless someone changed it with Edit details.
ALTER TABLE tickets ADD COLUMN owner VARCHAR(32);
UPDATE tickets SET owner = created_by;
ALTER TABLE tickets ALTER COLUMN owner SET NOT NULL;

-- When anything the status message shows last changed: App Home views published before it are refreshed.
ALTER TABLE tickets ADD COLUMN changed_at TIMESTAMP WITH TIME ZONE;
UPDATE tickets SET changed_at = updated_at;
CREATE INDEX tickets_by_workspace_changed ON tickets (workspace_id, changed_at);

-- One row per reminder sent: a waiting period (e.g. 'link:12', 'key:<when it arrived>') is reminded once,
-- whichever instance finds it due, also after a restart.
CREATE TABLE ticket_reminders (
    ticket_id BIGINT       NOT NULL REFERENCES tickets (id),
    period    VARCHAR(120) NOT NULL,
    sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (ticket_id, period)
);

-- Users who opened the bot's Home tab: their view is published again, at a bounded rate, when tickets change.
CREATE TABLE home_views (
    user_id      VARCHAR(32) NOT NULL PRIMARY KEY,
    team_id      VARCHAR(32) NOT NULL,
    opened_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX home_views_by_opened ON home_views (opened_at);
