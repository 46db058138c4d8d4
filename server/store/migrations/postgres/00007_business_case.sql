-- The business case assumptions an organisation has changed from the
-- toolkit's defaults, each with the source the organisation gives for it.
-- +goose Up
CREATE TABLE business_case_assumptions (
    organisation_id bigint           NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    key             text             NOT NULL,
    value           double precision NOT NULL,
    source          text             NOT NULL,
    updated_by      text             NOT NULL DEFAULT '',
    updated_at      timestamptz      NOT NULL,
    PRIMARY KEY (organisation_id, key)
);
