-- 007: retention. The daemon deletes quarantined messages and status history
-- older than quarantine_retention_days / status_history_retention_days (0:
-- kept forever), through junheng_retention_delete() only, a bounded number
-- of rows at a time. county_status_history stays append-only for everything
-- else: its trigger lets a DELETE through only for a row older than the
-- cutoff that function sets for its own transaction. submissions and
-- county_inputs are not touched: they stay strictly append-only.
CREATE INDEX IF NOT EXISTS county_status_history_computed ON county_status_history (computed_at);

CREATE FUNCTION county_status_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := current_setting('junheng.history_delete_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(cutoff, '') <> '' AND OLD.computed_at < cutoff::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'county_status_history is append-only: % refused (only the retention delete of rows older than status_history_retention_days)', TG_OP;
END $$;
DROP TRIGGER county_status_history_no_update ON county_status_history;
CREATE TRIGGER county_status_history_no_update BEFORE UPDATE OR DELETE ON county_status_history
    FOR EACH ROW EXECUTE FUNCTION county_status_history_append_only();

-- Deletes at most max_rows quarantined messages received more than
-- quarantine_days ago and at most max_rows history rows computed more than
-- history_days ago (oldest first; 0 days: that table is left alone).
CREATE FUNCTION junheng_retention_delete(quarantine_days integer, history_days integer, max_rows integer,
                                         OUT quarantine_deleted bigint, OUT history_deleted bigint)
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz;
BEGIN
    quarantine_deleted := 0;
    history_deleted := 0;
    IF quarantine_days > 0 THEN
        cutoff := now() - make_interval(days => quarantine_days);
        DELETE FROM quarantine WHERE id IN
            (SELECT id FROM quarantine WHERE received_at < cutoff ORDER BY received_at LIMIT max_rows);
        GET DIAGNOSTICS quarantine_deleted = ROW_COUNT;
    END IF;
    IF history_days > 0 THEN
        cutoff := now() - make_interval(days => history_days);
        PERFORM set_config('junheng.history_delete_before', cutoff::text, true);
        DELETE FROM county_status_history WHERE id IN
            (SELECT id FROM county_status_history WHERE computed_at < cutoff ORDER BY computed_at LIMIT max_rows);
        GET DIAGNOSTICS history_deleted = ROW_COUNT;
        PERFORM set_config('junheng.history_delete_before', '', true);
    END IF;
END $$;
