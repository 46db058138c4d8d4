-- Provision: OK9 wellbeing dog schemes (dogs, handlers, deployments and
-- national mutual aid), annual peer support returns and wellbeing van
-- visits. Handlers are recorded by display name or collar number only.
-- +goose Up
CREATE TABLE ok9_schemes (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id             INTEGER      NOT NULL UNIQUE REFERENCES organisations (id) ON DELETE CASCADE,
    spoc                        TEXT        NOT NULL DEFAULT '',
    sla_signed_on               DATETIME,
    sop_reviewed_on             DATETIME,
    risk_assessment_reviewed_on DATETIME,
    insurance_expires_on        DATETIME,
    updated_at                  DATETIME NOT NULL
);

CREATE TABLE ok9_dogs (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id       INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    call_name             TEXT        NOT NULL,
    status                TEXT        NOT NULL CHECK (status IN ('training', 'active', 'retired')),
    assessment_passed_on  DATETIME,
    next_welfare_check_on DATETIME,
    created_at            DATETIME NOT NULL,
    CONSTRAINT ok9_dogs_name UNIQUE (organisation_id, call_name)
);

CREATE TABLE ok9_handlers (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id           INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    display_name              TEXT        NOT NULL,
    peer_supporter_trained_on DATETIME,
    mhfa_trained_on           DATETIME,
    dog_ids                   TEXT        NOT NULL DEFAULT '[]',
    created_at                DATETIME NOT NULL,
    CONSTRAINT ok9_handlers_name UNIQUE (organisation_id, display_name)
);

CREATE TABLE ok9_aid_requests (
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id            INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    incident                   TEXT        NOT NULL,
    location                   TEXT        NOT NULL,
    starts_on                  DATETIME NOT NULL,
    ends_on                    DATETIME NOT NULL,
    dogs_needed                INTEGER     NOT NULL CHECK (dogs_needed > 0),
    status                     TEXT        NOT NULL,
    created_by                 TEXT        NOT NULL DEFAULT '',
    created_at                 DATETIME NOT NULL
);
CREATE INDEX ok9_aid_requests_status ON ok9_aid_requests (status);

CREATE TABLE ok9_aid_offers (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id              INTEGER      NOT NULL REFERENCES ok9_aid_requests (id) ON DELETE CASCADE,
    organisation_id         INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    dog_ids                 TEXT        NOT NULL,
    status                  TEXT        NOT NULL,
    offered_by              TEXT        NOT NULL DEFAULT '',
    offered_at              DATETIME NOT NULL,
    decided_by              TEXT        NOT NULL DEFAULT '',
    decided_at              DATETIME,
    decline_reason          TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX ok9_aid_offers_org ON ok9_aid_offers (organisation_id, status);

CREATE TABLE ok9_deployments (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id      INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    host_organisation_id INTEGER      REFERENCES organisations (id) ON DELETE SET NULL,
    aid_offer_id         INTEGER      REFERENCES ok9_aid_offers (id) ON DELETE SET NULL,
    deployed_on          DATETIME NOT NULL,
    kind                 TEXT        NOT NULL,
    handler_id           INTEGER      NOT NULL REFERENCES ok9_handlers (id) ON DELETE RESTRICT,
    dog_ids              TEXT        NOT NULL,
    people_engaged       INTEGER     NOT NULL CHECK (people_engaged >= 0),
    minutes              INTEGER     NOT NULL CHECK (minutes > 0),
    notes                TEXT        NOT NULL DEFAULT '',
    override_reason      TEXT        NOT NULL DEFAULT '',
    created_by           TEXT        NOT NULL DEFAULT '',
    created_at           DATETIME NOT NULL
);
CREATE INDEX ok9_deployments_org ON ok9_deployments (organisation_id, deployed_on);
CREATE INDEX ok9_deployments_host ON ok9_deployments (host_organisation_id);

CREATE TABLE peer_support_returns (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id           INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    year                      INTEGER     NOT NULL,
    coordinator_in_post       BOOLEAN     NOT NULL,
    coordinator_full_time     BOOLEAN     NOT NULL,
    oh_clinician_trained      BOOLEAN     NOT NULL,
    peer_supporters           INTEGER     NOT NULL CHECK (peer_supporters >= 0),
    peer_champions            INTEGER     NOT NULL CHECK (peer_champions >= 0),
    peer_coordinators         INTEGER     NOT NULL CHECK (peer_coordinators >= 0),
    trained_trainers          INTEGER     NOT NULL CHECK (trained_trainers >= 0),
    demob_defusing_trained    INTEGER     NOT NULL CHECK (demob_defusing_trained >= 0),
    trim_practitioners        INTEGER     NOT NULL CHECK (trim_practitioners >= 0),
    estip_lead                BOOLEAN     NOT NULL,
    supervision_in_place      BOOLEAN     NOT NULL,
    confidentiality_in_place  BOOLEAN     NOT NULL,
    contacts                  INTEGER     NOT NULL CHECK (contacts >= 0),
    updated_by                TEXT        NOT NULL DEFAULT '',
    updated_at                DATETIME NOT NULL,
    CONSTRAINT peer_support_returns_year UNIQUE (organisation_id, year)
);

CREATE TABLE van_visits (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id     INTEGER      NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    visited_on          DATETIME NOT NULL,
    location            TEXT        NOT NULL,
    health_checks       INTEGER     NOT NULL CHECK (health_checks >= 0),
    fatigue_assessments INTEGER     NOT NULL CHECK (fatigue_assessments >= 0),
    referrals           INTEGER     NOT NULL CHECK (referrals >= 0),
    created_by          TEXT        NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL
);
CREATE INDEX van_visits_org ON van_visits (organisation_id, visited_on);
