-- A batch of every organisation's benchmark PDF for a cycle. It is run by a
-- background job that any instance may take up, and its PDFs are kept here,
-- so every instance can show its progress and serve its zip, and a restart
-- resumes it. At most one batch of a cycle is running at a time.
-- +goose Up
CREATE TABLE benchmark_batches (
    id          text        PRIMARY KEY,
    cycle_id    bigint      NOT NULL REFERENCES assessment_cycles (id) ON DELETE CASCADE,
    cycle_name  text        NOT NULL,
    started_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    started_at  timestamptz NOT NULL,
    total       integer     NOT NULL,
    finished_at timestamptz,
    failed      boolean     NOT NULL DEFAULT false,
    job_id      bigint,     -- River's job that runs it
    figures_stamp bigint,   -- the figures its PDFs are drawn from (see FiguresStamp)
    figures_at  timestamptz, -- when that stamp was read
    redrawn     boolean     NOT NULL DEFAULT false -- the figures changed mid-batch and every report was drawn again
);
CREATE UNIQUE INDEX benchmark_batches_one_running ON benchmark_batches (cycle_id) WHERE finished_at IS NULL;
CREATE INDEX benchmark_batches_started ON benchmark_batches (started_at);

CREATE TABLE benchmark_batch_files (
    batch_id text  NOT NULL REFERENCES benchmark_batches (id) ON DELETE CASCADE,
    name     text  NOT NULL,
    pdf      bytea NOT NULL,
    PRIMARY KEY (batch_id, name)
);
