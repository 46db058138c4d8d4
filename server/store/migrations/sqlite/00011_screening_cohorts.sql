-- Screening recorded per cohort of a role's assessment (initial before
-- deployment, periodic, referral): counts only, never a person, with the
-- date the cohort's screening falls due.
-- +goose Up
CREATE TABLE role_screening_cohorts (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    role_assessment_id INTEGER NOT NULL REFERENCES role_assessments (id) ON DELETE CASCADE,
    cohort             text    NOT NULL CHECK (cohort IN ('initial', 'periodic', 'referral')),
    people_due         integer NOT NULL CHECK (people_due >= 0),
    screened           integer NOT NULL CHECK (screened >= 0 AND screened <= people_due),
    no_further_action  integer NOT NULL CHECK (no_further_action >= 0),
    further_assessment integer NOT NULL CHECK (further_assessment >= 0),
    referred           integer NOT NULL CHECK (referred >= 0),
    last_screened_on   DATETIME,
    due_on             DATETIME,
    CONSTRAINT role_screening_cohorts_one UNIQUE (role_assessment_id, cohort)
);

