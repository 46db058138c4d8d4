-- A form held when an idle session ended (what was typed, url-encoded,
-- whose it is and the page it was sent to) travels with a sign-in through
-- a provider, to be offered back only if that same person comes back
-- signed in. It goes with the row.
-- +goose Up
ALTER TABLE oidc_sign_ins ADD COLUMN held text NOT NULL DEFAULT '';
ALTER TABLE oidc_sign_ins ADD COLUMN held_user bigint NOT NULL DEFAULT 0;
ALTER TABLE oidc_sign_ins ADD COLUMN held_path text NOT NULL DEFAULT '';
