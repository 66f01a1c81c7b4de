-- What Apple made of the key that came through a link, as the customer's page tells it (upload.Verdict), and
-- Apple's own words where the page quotes them. A link's status may now also be CHECKING: a key came through
-- and Apple is being asked.
ALTER TABLE upload_links ADD COLUMN verdict VARCHAR(32);
ALTER TABLE upload_links ADD COLUMN verdict_detail VARCHAR(400);
