-- 010: web users (docs/security.md "Web users"): the people who log in
-- through the web gateway (junheng-web) with a name and a password the
-- daemon holds, every login attempt, and the person on what they did.
--
-- The daemon checks passwords (Argon2id, libsodium's crypto_pwhash_str) and
-- holds the sessions in memory; it loads the users at start and changes a
-- row only through the admin commands (add-user, lock-user, unlock-user,
-- reset-password), each with its audit row in audit_log (006).

CREATE TABLE users (
    name                 text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.@-]{1,64}$'),
    role                 text NOT NULL CHECK (role IN ('school', 'county', 'monitor', 'admin')),
    scope                text NOT NULL DEFAULT '',     -- school code, county code, monitor prefix; '' for an admin
    may_review           boolean NOT NULL DEFAULT false,
    password_hash        text NOT NULL,                -- crypto_pwhash_str: "$argon2id$v=19$m=...,t=...,p=1$..."
    locked               boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Every login attempt, refused or not (append-only).
CREATE TABLE login_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name       text NOT NULL,                    -- as typed (an unknown name too)
    client_address  text NOT NULL DEFAULT '',         -- the browser's address, as the gateway saw it
    ok              boolean NOT NULL,
    reason          text NOT NULL DEFAULT '',         -- ok, bad password, locked, rate limited
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_events_user ON login_events (user_name, at);
CREATE INDEX login_events_at ON login_events (at);
CREATE TRIGGER login_events_no_update BEFORE UPDATE OR DELETE ON login_events
    FOR EACH ROW EXECUTE FUNCTION review_append_only();
CREATE TRIGGER login_events_no_truncate BEFORE TRUNCATE ON login_events
    FOR EACH STATEMENT EXECUTE FUNCTION review_append_only();

-- The web user who sent a submission or a county-inputs revision through a
-- session (NULL: sent with a key alone); submitted_by keeps the key.
ALTER TABLE submissions ADD COLUMN web_user text;
ALTER TABLE county_inputs ADD COLUMN web_user text;

-- The web user who did an audited action (NULL: a key alone). review_apply
-- takes it from its request's "actor_user"; the trigger below copies it
-- onto the row, so every audit row -- review actions and admin commands --
-- carries it without review_apply's body changing.
ALTER TABLE audit_log ADD COLUMN actor_user text;

CREATE FUNCTION audit_actor_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.actor_user := COALESCE(NEW.actor_user, NULLIF(current_setting('junheng.actor_user', true), ''));
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_actor_user BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_actor_user();

ALTER FUNCTION review_apply(jsonb) RENAME TO review_apply_006;
-- review_apply of 006, with the request's actor_user set for the audit row
-- of this transaction.
CREATE FUNCTION review_apply(req jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('junheng.actor_user', COALESCE(req->>'actor_user', ''), true);
    RETURN review_apply_006(req);
END $$;

-- An audit row as the JSON of docs/review.md, now with actor_user.
CREATE OR REPLACE FUNCTION audit_json(a audit_log) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', a.id, 'action_id', a.action_id, 'at', review_time(a.at),
        'actor_key', a.actor_key, 'actor_role', a.actor_role, 'actor_subject', a.actor_subject,
        'actor_user', a.actor_user,
        'action', a.action, 'county_code', a.county_code, 'school_code', a.school_code, 'period', a.period,
        'target', a.target, 'reason', a.reason, 'detail', a.detail)
$$;
