-- A role review saved part way: at most one draft per role of an
-- organisation, kept as typed (the API's JSON of the review) until it is
-- signed off as a new version of the role's assessment. Drafts are in no
-- figure: every figure reads role_assessments.
-- +goose Up
CREATE TABLE role_review_drafts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role_id         TEXT     NOT NULL,
    model_key       TEXT     NOT NULL,
    model_version   TEXT     NOT NULL,
    review          TEXT     NOT NULL,
    saved_by        TEXT     NOT NULL DEFAULT '',
    saved_at        DATETIME NOT NULL,
    CONSTRAINT role_review_drafts_one UNIQUE (organisation_id, role_id)
);
