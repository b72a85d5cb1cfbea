-- 001: the school registry, append-only submission revisions, and quarantine.
-- Applied once by junhengd (in a transaction, recorded in schema_migrations).

CREATE TABLE counties (
    county_code  char(6) PRIMARY KEY CHECK (county_code ~ '^[0-9]{6}$'),
    name         text NOT NULL,
    city_code    char(6) GENERATED ALWAYS AS (substr(county_code, 1, 4) || '00') STORED,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schools (
    school_code  char(10) PRIMARY KEY CHECK (school_code ~ '^[0-9]{10}$'),
    name         text NOT NULL,
    county_code  char(6) NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
    kind         text NOT NULL CHECK (kind IN ('primary', 'junior', 'nine_year', 'twelve_year',
                                               'complete_secondary', 'teaching_point', 'special')),
    location     text NOT NULL CHECK (location IN ('urban', 'town', 'rural')),
    is_public    boolean NOT NULL,
    boarding     boolean NOT NULL,
    active       boolean NOT NULL DEFAULT true,   -- gone from the last import: kept, never deleted
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schools_county ON schools (county_code);

-- Every accepted submission is a new revision; rows are never updated or
-- deleted (enforced below). The newest revision per (school, period) counts.
CREATE TABLE submissions (
    revision       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id  uuid NOT NULL UNIQUE,             -- the client's idempotency key
    school_code    char(10) NOT NULL REFERENCES schools (school_code),
    period         integer NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    payload        bytea NOT NULL,                   -- the Submission protobuf message
    warnings       jsonb NOT NULL DEFAULT '[]'       -- [{field, reason}] flagged on acceptance
);
CREATE INDEX submissions_latest ON submissions (school_code, period, revision DESC);

CREATE FUNCTION submissions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'submissions are append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER submissions_no_update BEFORE UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_append_only();
CREATE TRIGGER submissions_no_truncate BEFORE TRUNCATE ON submissions
    FOR EACH STATEMENT EXECUTE FUNCTION submissions_append_only();

-- Refused messages, kept for audit with the raw bytes and every reason.
CREATE TABLE quarantine (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    peer         text,                               -- ZeroMQ routing id (hex) or authenticated identity
    school_code  text,                               -- as claimed, when it could be read
    reason       text NOT NULL,                      -- 'undecodable', 'invalid', 'unknown school', ...
    errors       jsonb NOT NULL DEFAULT '[]',        -- [{field, reason}]
    raw          bytea NOT NULL
);
CREATE INDEX quarantine_received ON quarantine (received_at);
