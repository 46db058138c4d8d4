-- Psychological risk assessments of high-risk roles. Every review is a new
-- version; earlier versions stay readable. Screening is counted, never
-- recorded per person.
-- +goose Up
CREATE TABLE role_assessments (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id       INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    role_id               TEXT        NOT NULL,
    teams                 TEXT        NOT NULL DEFAULT '',
    version               INTEGER     NOT NULL,
    current               BOOLEAN     NOT NULL,
    model_key             TEXT        NOT NULL,
    model_version         TEXT        NOT NULL,
    model_sha256          TEXT        NOT NULL,
    headcount             INTEGER     NOT NULL CHECK (headcount >= 0),
    exposed_headcount     INTEGER     NOT NULL CHECK (exposed_headcount >= 0),
    people_screened       INTEGER     NOT NULL CHECK (people_screened >= 0),
    structured_interviews INTEGER     NOT NULL CHECK (structured_interviews >= 0),
    referrals             INTEGER     NOT NULL CHECK (referrals >= 0),
    overall_band          TEXT        NOT NULL,
    reviewed_on           DATETIME NOT NULL,
    next_review_on        DATETIME NOT NULL,
    next_screening_on     DATETIME NOT NULL,
    signed_off_by         TEXT        NOT NULL DEFAULT '',
    created_by            TEXT        NOT NULL DEFAULT '',
    created_at            DATETIME NOT NULL,
    CONSTRAINT role_assessments_version UNIQUE (organisation_id, role_id, version)
);
CREATE INDEX role_assessments_current ON role_assessments (organisation_id, current);

CREATE TABLE role_hazard_ratings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    role_assessment_id INTEGER  NOT NULL REFERENCES role_assessments (id) ON DELETE CASCADE,
    hazard_id          TEXT    NOT NULL,
    inherent_l         INTEGER NOT NULL,
    inherent_s         INTEGER NOT NULL,
    rationale          TEXT    NOT NULL DEFAULT '',
    residual_l         INTEGER NOT NULL,
    residual_s         INTEGER NOT NULL,
    override_rationale TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX role_hazard_ratings_assessment ON role_hazard_ratings (role_assessment_id);

CREATE TABLE role_controls (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    hazard_rating_id     INTEGER  NOT NULL REFERENCES role_hazard_ratings (id) ON DELETE CASCADE,
    control_id           TEXT    NOT NULL DEFAULT '',
    local_name           TEXT    NOT NULL DEFAULT '',
    status               TEXT    NOT NULL,
    owner                TEXT    NOT NULL DEFAULT '',
    due_on               DATETIME,
    likelihood_reduction INTEGER NOT NULL,
    severity_reduction   INTEGER NOT NULL
);
CREATE INDEX role_controls_rating ON role_controls (hazard_rating_id);

-- Roles an organisation defines itself, choosing hazards and controls from
-- the risk model's catalogues.
CREATE TABLE local_roles (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role_id         TEXT     NOT NULL,
    name            TEXT     NOT NULL,
    hazards         TEXT     NOT NULL,
    controls        TEXT     NOT NULL,
    created_at      DATETIME NOT NULL,
    CONSTRAINT local_roles_id UNIQUE (organisation_id, role_id)
);
