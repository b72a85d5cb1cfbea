-- 008: the status history keeps both views of every status (docs/review.md
-- "Two views"): each row says which one it summarises. Rows written before
-- this migration are the live view's (the only one there was).
ALTER TABLE county_status_history
    ADD COLUMN view text NOT NULL DEFAULT 'live' CHECK (view IN ('live', 'official'));
DROP INDEX county_status_history_county;
CREATE INDEX county_status_history_county ON county_status_history (county_code, view, period, id);
