-- A batch of every organisation's benchmark PDF for a cycle. It is run by a
-- background job that any instance may take up, and its PDFs are kept here,
-- so every instance can show its progress and serve its zip, and a restart
-- resumes it. At most one batch of a cycle is running at a time.
-- +goose Up
CREATE TABLE benchmark_batches (
    id          TEXT     PRIMARY KEY,
    cycle_id    INTEGER  NOT NULL REFERENCES assessment_cycles (id) ON DELETE CASCADE,
    cycle_name  TEXT     NOT NULL,
    started_by  INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    started_at  DATETIME NOT NULL,
    total       INTEGER  NOT NULL,
    finished_at DATETIME,
    failed      BOOLEAN  NOT NULL DEFAULT 0,
    job_id      INTEGER, -- River's job that runs it
    figures_stamp INTEGER, -- the figures its PDFs are drawn from (see FiguresStamp)
    figures_at  DATETIME, -- when that stamp was read
    redrawn     BOOLEAN  NOT NULL DEFAULT 0 -- the figures changed mid-batch and every report was drawn again
);
CREATE UNIQUE INDEX benchmark_batches_one_running ON benchmark_batches (cycle_id) WHERE finished_at IS NULL;
CREATE INDEX benchmark_batches_started ON benchmark_batches (started_at);

CREATE TABLE benchmark_batch_files (
    batch_id TEXT NOT NULL REFERENCES benchmark_batches (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    pdf      BLOB NOT NULL,
    PRIMARY KEY (batch_id, name)
);
