-- A sign-in attempt is recorded before its password is checked. Until the
-- check ends it is pending: it counts against its account at once (so
-- parallel guesses at one account cannot slip under the limit), but against
-- its address only once it has failed, so many people signing in at the
-- same moment behind one address (an office's NAT) are not refused.
-- +goose Up
ALTER TABLE signin_failures ADD COLUMN pending BOOLEAN NOT NULL DEFAULT 0;
