-- Which emails each person receives, and how often (server/store/mail.go).
-- A kind with no row is sent at once. The token makes the link to a
-- person's email settings, printed in every email: it lets its holder
-- change only which emails that person receives.
-- +goose Up
CREATE TABLE mail_settings (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token      TEXT     NOT NULL UNIQUE,
    created_at DATETIME NOT NULL
);
CREATE TABLE mail_preferences (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    frequency TEXT    NOT NULL CHECK (frequency IN ('immediate', 'weekly', 'off')),
    PRIMARY KEY (user_id, kind)
);
