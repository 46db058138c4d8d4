-- Uploaded assessment workbooks waiting for the person to confirm the
-- preview; applied all at once or not at all, then deleted.
-- +goose Up
CREATE TABLE workbook_uploads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER  NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    user_id       INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    data          BLOB     NOT NULL,
    versions      TEXT     NOT NULL,
    created_at    DATETIME NOT NULL
);
