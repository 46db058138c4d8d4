-- Sign-ins on their way through a provider: kept in the database so that
-- whichever instance the person returns to can finish it, and deleted when
-- used, so a returned state works once. state_hash is the SHA-256 of the
-- state; the nonce and PKCE verifier live only until the person returns.
-- +goose Up
CREATE TABLE oidc_sign_ins (
    state_hash      TEXT PRIMARY KEY,
    organisation_id INTEGER  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    nonce           TEXT     NOT NULL,
    verifier        TEXT     NOT NULL,
    next            TEXT     NOT NULL DEFAULT '/',
    created_at      DATETIME NOT NULL
);
CREATE INDEX oidc_sign_ins_created ON oidc_sign_ins (created_at);
