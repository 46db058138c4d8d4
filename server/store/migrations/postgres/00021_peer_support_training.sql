-- Peer support training and supervision on the annual peer support return
-- (issue 18): "Walk the Talk" train-the-trainer attendance, trained
-- trainers delivering locally, demobilising and defusing course places
-- taken, and supervision for supporters. Counts only. NULL is "not
-- recorded": returns made before these questions keep no answer to them.
-- +goose Up
ALTER TABLE peer_support_returns ADD COLUMN walk_the_talk_attended integer CHECK (walk_the_talk_attended >= 0);
ALTER TABLE peer_support_returns ADD COLUMN trainers_delivering integer CHECK (trainers_delivering >= 0);
ALTER TABLE peer_support_returns ADD COLUMN demob_course_places integer CHECK (demob_course_places >= 0);
ALTER TABLE peer_support_returns ADD COLUMN supervision_sessions integer CHECK (supervision_sessions >= 0);
ALTER TABLE peer_support_returns ADD COLUMN supporters_supervised integer CHECK (supporters_supervised >= 0);
