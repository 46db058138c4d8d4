-- The NPWS wellbeing van fleet (issue 18): the vans are national records;
-- organisations request a van for an event, incident or hotspot, national
-- admins schedule one and record what was delivered. The old
-- per-organisation van visits become delivered requests with no van named.
-- +goose Up
CREATE TABLE vans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT     NOT NULL UNIQUE,
    registration TEXT     NOT NULL DEFAULT '',
    in_service   BOOLEAN  NOT NULL,
    created_at   DATETIME NOT NULL
);

CREATE TABLE van_requests (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id     INTEGER  NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind                TEXT     NOT NULL CHECK (kind IN ('major_event', 'critical_incident', 'hotspot')),
    starts_on           DATETIME NOT NULL,
    ends_on             DATETIME NOT NULL,
    place               TEXT     NOT NULL,
    expected_attendance INTEGER  NOT NULL CHECK (expected_attendance >= 0),
    contact             TEXT     NOT NULL DEFAULT '',
    state               TEXT     NOT NULL CHECK (state IN ('requested', 'scheduled', 'delivered', 'withdrawn', 'declined')),
    van_id              INTEGER  REFERENCES vans (id) ON DELETE RESTRICT,
    health_checks       INTEGER  NOT NULL DEFAULT 0 CHECK (health_checks >= 0),
    fatigue_assessments INTEGER  NOT NULL DEFAULT 0 CHECK (fatigue_assessments >= 0),
    trauma_support      INTEGER  NOT NULL DEFAULT 0 CHECK (trauma_support >= 0),
    wellbeing_advice    INTEGER  NOT NULL DEFAULT 0 CHECK (wellbeing_advice >= 0),
    referrals           INTEGER  NOT NULL DEFAULT 0 CHECK (referrals >= 0),
    partners            TEXT     NOT NULL DEFAULT '',
    decline_reason      TEXT     NOT NULL DEFAULT '',
    created_by          TEXT     NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_by          TEXT     NOT NULL DEFAULT '',
    updated_at          DATETIME NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX van_requests_org ON van_requests (organisation_id, starts_on);
CREATE INDEX van_requests_van ON van_requests (van_id, starts_on);

INSERT INTO van_requests (organisation_id, kind, starts_on, ends_on, place, expected_attendance, contact, state,
    health_checks, fatigue_assessments, referrals, created_by, created_at, updated_by, updated_at)
SELECT organisation_id, 'hotspot', visited_on, visited_on, location, 0, '', 'delivered',
    health_checks, fatigue_assessments, referrals, created_by, created_at, created_by, created_at
FROM van_visits ORDER BY id;

DROP TABLE van_visits;
