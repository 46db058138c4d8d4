-- Counters moved by every change that can alter a class of derived
-- figures, in the same transaction as the change: "figures" moves with
-- anything the benchmarks are drawn from, so cached group figures know when
-- they are stale without re-reading the data.
-- +goose Up
CREATE TABLE change_counters (
    name text PRIMARY KEY,
    n    bigint NOT NULL
);
INSERT INTO change_counters (name, n) VALUES ('figures', 0);
