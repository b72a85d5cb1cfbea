-- 005: county bureaus (县级教育行政部门) as a key role, and the county inputs
-- they send (docs/formats.md "County inputs"; docs/rules.md "Whole verdict").
--
-- A county key is bound to one 6-digit county code: it may send that county's
-- inputs and the submissions of the schools registered in it, nothing else.
ALTER TABLE keys DROP CONSTRAINT keys_role_check;
ALTER TABLE keys ADD CONSTRAINT keys_role_check
    CHECK (role IN ('school', 'monitor', 'admin', 'county'));
ALTER TABLE keys ADD CONSTRAINT keys_county_subject
    CHECK (role <> 'county' OR subject ~ '^[0-9]{6}$');

-- Every accepted county-inputs message is a new revision; rows are never
-- updated or deleted. A revision replaces the previous revisions' fields for
-- the items it carries: the county's inputs are all revisions of its (county,
-- period) folded in revision order.
CREATE TABLE county_inputs (
    revision       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id  uuid NOT NULL UNIQUE,              -- the client's idempotency key
    county_code    char(6) NOT NULL REFERENCES counties (county_code),
    period         integer NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    submitted_by   text,                              -- the CURVE public key (Z85) that sent it
    payload        bytea NOT NULL,                    -- the CountyInputs protobuf message
    warnings       jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX county_inputs_county ON county_inputs (county_code, period, revision);

CREATE FUNCTION county_inputs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'county_inputs are append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER county_inputs_no_update BEFORE UPDATE OR DELETE ON county_inputs
    FOR EACH ROW EXECUTE FUNCTION county_inputs_append_only();
CREATE TRIGGER county_inputs_no_truncate BEFORE TRUNCATE ON county_inputs
    FOR EACH STATEMENT EXECUTE FUNCTION county_inputs_append_only();
