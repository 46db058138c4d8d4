-- Every reminder and notice made for a person: the outbox and the sent-log
-- in one. The unique key (person, kind, subject item, due date) is what
-- keeps a reminder from being made, or sent, twice. A queued row whose
-- sending failed keeps its error and waits until next_attempt_at.
-- +goose Up
CREATE TABLE mail_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT     NOT NULL,
    item            TEXT     NOT NULL,
    due             TEXT     NOT NULL, -- YYYY-MM-DD, or '' for a notice with no date
    subject         TEXT     NOT NULL,
    body            TEXT     NOT NULL,
    link            TEXT     NOT NULL,
    frequency       TEXT     NOT NULL CHECK (frequency IN ('immediate', 'weekly', 'off')),
    status          TEXT     NOT NULL CHECK (status IN ('queued', 'sent', 'skipped', 'failed')),
    attempts        INTEGER  NOT NULL DEFAULT 0,
    last_error      TEXT     NOT NULL DEFAULT '',
    next_attempt_at DATETIME NOT NULL,
    created_at      DATETIME NOT NULL,
    sent_at         DATETIME,
    UNIQUE (user_id, kind, item, due)
);
CREATE INDEX mail_log_queued ON mail_log (status, next_attempt_at);
