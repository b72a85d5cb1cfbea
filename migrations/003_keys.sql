-- 003: the key registry (CurveZMQ public keys and what each may do), and who
-- sent each revision. See docs/security.md.
--
-- A key is bound to one role: a school key to one school code, a monitor key
-- to a scope (a 2-digit province, 4-digit city or 6-digit county code
-- prefix), an admin key to a name. Keys are never deleted: revoking sets
-- revoked_at, and a revoked key stays revoked (a new key is generated).
CREATE TABLE keys (
    public_key   text PRIMARY KEY CHECK (public_key ~ '^[0-9A-Za-z.:+=^!/*?&<>()\[\]{}@%$#-]{40}$'),
    role         text NOT NULL CHECK (role IN ('school', 'monitor', 'admin')),
    subject      text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK (role <> 'school' OR subject ~ '^[0-9]{10}$'),
    CHECK (role <> 'monitor' OR subject ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$'),
    CHECK (role <> 'admin' OR length(subject) BETWEEN 1 AND 64)
);
CREATE INDEX keys_subject ON keys (role, subject);

CREATE FUNCTION keys_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'keys are never deleted (revoke them): % refused', TG_OP;
END $$;
CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys
    FOR EACH ROW EXECUTE FUNCTION keys_no_delete();

CREATE FUNCTION keys_revoked_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'key % is revoked; a revoked key is never changed or reinstated', OLD.public_key;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER keys_revoked_final BEFORE UPDATE ON keys
    FOR EACH ROW EXECUTE FUNCTION keys_revoked_final();

-- The CURVE public key (Z85) that sent each revision; NULL for revisions
-- received before this migration or over plaintext (allow_plaintext yes).
ALTER TABLE submissions ADD COLUMN submitted_by text;
