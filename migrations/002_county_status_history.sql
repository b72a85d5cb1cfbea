-- 002: every county status the daemon computes and publishes, so history can
-- be read back (junheng status --history). Append-only like submissions.
CREATE TABLE county_status_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    county_code    char(6) NOT NULL,
    period         integer NOT NULL,
    seq            bigint NOT NULL,          -- the publication's sequence number within the epoch
    epoch          text NOT NULL,            -- the daemon run that published it
    rules_version  text NOT NULL,
    computed_at    timestamptz NOT NULL,
    status         jsonb NOT NULL            -- the object of docs/formats.md §5
);
CREATE INDEX county_status_history_county ON county_status_history (county_code, period, id);
CREATE TRIGGER county_status_history_no_update BEFORE UPDATE OR DELETE ON county_status_history
    FOR EACH ROW EXECUTE FUNCTION submissions_append_only();
