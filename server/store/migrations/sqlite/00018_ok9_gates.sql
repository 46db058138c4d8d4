-- OK9 deployment gates and the records behind them (issue 18): the
-- handler's status, suitability assessment with their dog, supervisor
-- agreement, protected time and refresher training; the scheme's SPOC work
-- email and animal welfare scheme membership; and the reasons a national
-- admin gave for going past a gate. Handlers stay known by display name or
-- collar number only. Existing handlers have no suitability outcome, so
-- they cannot be deployed until one is recorded.
-- +goose Up
ALTER TABLE ok9_handlers ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive'));
ALTER TABLE ok9_handlers ADD COLUMN suitability_assessed_on DATETIME;
ALTER TABLE ok9_handlers ADD COLUMN suitability_outcome text NOT NULL DEFAULT '' CHECK (suitability_outcome IN ('', 'passed', 'not_passed'));
ALTER TABLE ok9_handlers ADD COLUMN supervisor_agreed_on DATETIME;
ALTER TABLE ok9_handlers ADD COLUMN protected_hours_month integer NOT NULL DEFAULT 0 CHECK (protected_hours_month >= 0);
ALTER TABLE ok9_handlers ADD COLUMN refresher_trained_on DATETIME;

ALTER TABLE ok9_schemes ADD COLUMN spoc_email text NOT NULL DEFAULT '';
ALTER TABLE ok9_schemes ADD COLUMN welfare_scheme text NOT NULL DEFAULT '';
ALTER TABLE ok9_schemes ADD COLUMN welfare_scheme_expires_on DATETIME;

ALTER TABLE ok9_deployments ADD COLUMN gate_override_reason text NOT NULL DEFAULT '';
ALTER TABLE ok9_aid_offers ADD COLUMN override_reason text NOT NULL DEFAULT '';
