-- Sign-in through an organisation's OpenID Connect provider (issue 20).
-- One provider per organisation; client_secret_sealed is the client secret
-- encrypted with AES-256-GCM under OIDC_SECRET_KEY, never the secret itself.
-- password_sign_in off means the organisation's people sign in only through
-- the provider. Each email domain leads to one organisation's provider.
-- Numbered 00014: other branches add 00011 to 00013.
-- +goose Up
CREATE TABLE identity_providers (
    organisation_id      INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    issuer               TEXT     NOT NULL,
    client_id            TEXT     NOT NULL,
    client_secret_sealed TEXT     NOT NULL,
    password_sign_in     BOOLEAN  NOT NULL DEFAULT true,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);

CREATE TABLE identity_provider_domains (
    domain          TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES identity_providers (organisation_id) ON DELETE CASCADE
);
CREATE INDEX identity_provider_domains_org ON identity_provider_domains (organisation_id);
