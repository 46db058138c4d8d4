-- Quarterly TRiM and trauma support returns (issue 18): counts only, never
-- names. One return per organisation and quarter.
-- +goose Up
CREATE TABLE trauma_returns (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    year                  integer NOT NULL,
    quarter               integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    incidents             integer NOT NULL CHECK (incidents >= 0),
    planning_meetings     integer NOT NULL CHECK (planning_meetings >= 0),
    risk_assessments      integer NOT NULL CHECK (risk_assessments >= 0),
    reviews               integer NOT NULL CHECK (reviews >= 0),
    defusings             integer NOT NULL CHECK (defusings >= 0),
    demobilisations       integer NOT NULL CHECK (demobilisations >= 0),
    estims                integer NOT NULL CHECK (estims >= 0),
    referrals_oh          integer NOT NULL CHECK (referrals_oh >= 0),
    referrals_psych       integer NOT NULL CHECK (referrals_psych >= 0),
    practitioners_trained integer NOT NULL CHECK (practitioners_trained >= 0),
    team_leaders_trained  integer NOT NULL CHECK (team_leaders_trained >= 0),
    managers_trained      integer NOT NULL CHECK (managers_trained >= 0),
    updated_by            text NOT NULL DEFAULT '',
    updated_at            DATETIME NOT NULL,
    CONSTRAINT trauma_returns_quarter UNIQUE (organisation_id, year, quarter)
);
