-- The business case assumptions an organisation has changed from the
-- toolkit's defaults, each with the source the organisation gives for it.
-- +goose Up
CREATE TABLE business_case_assumptions (
    organisation_id INTEGER  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    key             TEXT     NOT NULL,
    value           REAL     NOT NULL,
    source          TEXT     NOT NULL,
    updated_by      TEXT     NOT NULL DEFAULT '',
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (organisation_id, key)
);
