-- Which emails each person receives, and how often (server/store/mail.go).
-- A kind with no row is sent at once. The token makes the link to a
-- person's email settings, printed in every email: it lets its holder
-- change only which emails that person receives.
-- +goose Up
CREATE TABLE mail_settings (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token      text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
CREATE TABLE mail_preferences (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      text   NOT NULL,
    frequency text   NOT NULL CHECK (frequency IN ('immediate', 'weekly', 'off')),
    PRIMARY KEY (user_id, kind)
);
