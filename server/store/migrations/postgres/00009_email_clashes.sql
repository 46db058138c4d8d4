-- A person added by an organisation with an email address that already has
-- an account elsewhere is kept as an invitation that can never sign in, so
-- the organisation learns nothing about the other account; the national
-- team resolves it. clash_user_id names the existing account. The
-- invitation's stored email carries the suffix "#clash-<organisation id>"
-- (see people.go), which keeps emails unique.
-- +goose Up
ALTER TABLE users ADD COLUMN clash_user_id bigint REFERENCES users (id) ON DELETE SET NULL;
