-- Organisations, people and their access, and the audit trail.
-- Timestamps are DATETIME written as UTC text; see 00001.
-- +goose Up
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT     NOT NULL UNIQUE,
    name       TEXT     NOT NULL,
    sector     TEXT     NOT NULL,
    nation     TEXT     NOT NULL,
    region     TEXT     NOT NULL DEFAULT '',
    peer_group TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE workforce (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    year            INTEGER NOT NULL,
    officers        INTEGER NOT NULL CHECK (officers >= 0),
    staff           INTEGER NOT NULL CHECK (staff >= 0),
    volunteers      INTEGER NOT NULL CHECK (volunteers >= 0),
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE RESTRICT,
    email           TEXT     NOT NULL UNIQUE,
    display_name    TEXT     NOT NULL,
    role            TEXT     NOT NULL,
    password_hash   TEXT     NOT NULL DEFAULT '',
    sections        TEXT     NOT NULL DEFAULT '[]',
    disabled_at     DATETIME,
    last_sign_in_at DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    CHECK ((role = 'national_admin') = (organisation_id IS NULL))
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
    hash         TEXT PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_tokens (
    hash       TEXT PRIMARY KEY,
    user_id    INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT     NOT NULL,
    hash         TEXT     NOT NULL UNIQUE,
    prefix       TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              DATETIME NOT NULL,
    organisation_id INTEGER,
    actor_user_id   INTEGER,
    actor_label     TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity_type     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before          TEXT NOT NULL DEFAULT '',
    after           TEXT NOT NULL DEFAULT '',
    request_id      TEXT NOT NULL DEFAULT '',
    ip              TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_org_at ON audit_events (organisation_id, at);
CREATE INDEX audit_events_at ON audit_events (at);

-- The trail is append-only, whatever the application does.
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

CREATE TABLE signin_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT     NOT NULL,
    ip    TEXT     NOT NULL,
    at    DATETIME NOT NULL
);
CREATE INDEX signin_failures_email ON signin_failures (email, at);
CREATE INDEX signin_failures_ip ON signin_failures (ip, at);
