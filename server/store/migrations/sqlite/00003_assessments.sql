-- Annual self-assessment: cycles opened nationally, one assessment per
-- organisation per cycle, a response per standard, improvement actions.
-- Timestamps are DATETIME written as UTC text; see 00001.
-- +goose Up
CREATE TABLE assessment_cycles (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT        NOT NULL UNIQUE,
    framework_key     TEXT        NOT NULL,
    framework_version TEXT        NOT NULL,
    opens_on          DATETIME NOT NULL,
    closes_on         DATETIME NOT NULL,
    status            TEXT        NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);

CREATE TABLE assessments (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id          INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    cycle_id                 INTEGER      NOT NULL REFERENCES assessment_cycles (id) ON DELETE RESTRICT,
    framework_key            TEXT        NOT NULL,
    framework_version        TEXT        NOT NULL,
    framework_sha256         TEXT        NOT NULL,
    status                   TEXT        NOT NULL,
    carried_from_id          INTEGER REFERENCES assessments (id),
    signed_off_name          TEXT        NOT NULL DEFAULT '',
    signed_off_role          TEXT        NOT NULL DEFAULT '',
    signed_off_at            DATETIME,
    submitted_at             DATETIME,
    returned_comment         TEXT        NOT NULL DEFAULT '',
    validated_at             DATETIME,
    peer_review_requested_at DATETIME,
    created_at               DATETIME NOT NULL,
    updated_at               DATETIME NOT NULL,
    CONSTRAINT assessments_one_per_cycle UNIQUE (organisation_id, cycle_id)
);

CREATE TABLE responses (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id   INTEGER      NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    standard_id     TEXT        NOT NULL,
    level           INTEGER,
    target          INTEGER,
    evidence        TEXT        NOT NULL DEFAULT '',
    links           TEXT        NOT NULL DEFAULT '',
    carried_forward BOOLEAN     NOT NULL DEFAULT false,
    review_note     TEXT        NOT NULL DEFAULT '',
    version         INTEGER     NOT NULL DEFAULT 1,
    updated_by      TEXT        NOT NULL DEFAULT '',
    updated_at      DATETIME NOT NULL,
    CONSTRAINT responses_one_per_standard UNIQUE (assessment_id, standard_id)
);

CREATE TABLE assessment_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER      NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    standard_id   TEXT        NOT NULL,
    what          TEXT        NOT NULL,
    owner         TEXT        NOT NULL DEFAULT '',
    due_on        DATETIME,
    status        TEXT        NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX assessment_actions_assessment ON assessment_actions (assessment_id, standard_id);
