-- 009: the city's plan (推进方案; docs/formats.md "The city's plan"): per
-- county and school year the planned coefficients, shares of schools and
-- years of review, as imported by `junheng admin import-plan`.
--
-- Every import appends one revision per (county, period) row of its file;
-- rows are never updated or deleted. The plan in force for (county,
-- period) is its newest revision; period 0 is a plan for every school year,
-- which a revision for the year itself overrides.
CREATE TABLE plan_revisions (
    revision     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    county_code  char(6) NOT NULL REFERENCES counties (county_code),
    period       integer NOT NULL CHECK (period = 0 OR period BETWEEN 2000 AND 2100),
    imported_at  timestamptz NOT NULL DEFAULT now(),
    imported_by  text NOT NULL,                       -- the admin key's subject
    actor_key    text,                                -- its CURVE public key (Z85); NULL over plaintext
    file_name    text NOT NULL DEFAULT '',            -- the file as the admin named it
    line         integer NOT NULL,                    -- the row's line in that file
    figures      jsonb NOT NULL                       -- {"cv_primary": 0.5, ..., "years": {...}}
);
CREATE INDEX plan_revisions_county ON plan_revisions (county_code, period, revision);

CREATE FUNCTION plan_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan_revisions are append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER plan_revisions_no_update BEFORE UPDATE OR DELETE ON plan_revisions
    FOR EACH ROW EXECUTE FUNCTION plan_revisions_append_only();
CREATE TRIGGER plan_revisions_no_truncate BEFORE TRUNCATE ON plan_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION plan_revisions_append_only();
