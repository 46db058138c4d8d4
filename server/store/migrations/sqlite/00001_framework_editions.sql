-- Every framework edition the app has loaded, so that a released edition
-- whose file changes later is caught instead of silently rewriting history.
-- Timestamps are DATETIME so the driver parses them back into time.Time; they
-- are written as UTC text ("2006-01-02 15:04:05.999999999-07:00").
-- +goose Up
CREATE TABLE framework_editions (
    id              INTEGER  PRIMARY KEY AUTOINCREMENT,
    kind            TEXT     NOT NULL,
    key             TEXT     NOT NULL,
    version         TEXT     NOT NULL,
    title           TEXT     NOT NULL DEFAULT '',
    status          TEXT     NOT NULL,
    sha256          TEXT     NOT NULL,
    first_loaded_at DATETIME NOT NULL,
    last_loaded_at  DATETIME NOT NULL,
    CONSTRAINT framework_editions_identity UNIQUE (kind, key, version)
);
