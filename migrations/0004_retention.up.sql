-- Migration 0004_retention (up): the scheduler's memory of its daily jobs, and the audit trail of
-- retention (requirement 7): every run, dry or real, and every archive it made, deleted or removed.

-- One row per daily job (ops/scheduler.hpp): the slot last run, so a slot missed while every
-- instance was down runs at the next start, and the times and error of the latest run.
CREATE TABLE scheduled_runs (
  job         varchar(100) PRIMARY KEY,
  last_slot   timestamptz  NOT NULL,
  started_at  timestamptz,
  finished_at timestamptz,
  error       text
);

-- Every retention run. status 'running' with no live run behind it is an unfinished run (the
-- process died): the next run completes what its archives began.
CREATE TABLE retention_runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dry_run     boolean      NOT NULL,
  trigger     varchar(20)  NOT NULL,
  status      varchar(20)  NOT NULL DEFAULT 'running',
  started_at  timestamptz  NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms bigint,
  policies    jsonb        NOT NULL DEFAULT '[]',
  error       text,
  CONSTRAINT retention_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed')),
  CONSTRAINT retention_runs_trigger_check CHECK (trigger IN ('schedule', 'api', 'cli'))
);

-- Every archive file: made, verified (read back against its manifest), its rows deleted, and at
-- last removed from cold storage. Rows are deleted only from a 'verified' archive, by the keys the
-- archive holds, so the rows deleted are exactly the rows archived.
CREATE TABLE retention_archives (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint       NOT NULL REFERENCES retention_runs (id),
  table_name   varchar(63)  NOT NULL,
  cutoff       timestamptz  NOT NULL,
  archive_uri  text         NOT NULL,
  sha256       varchar(64),
  row_count    bigint       NOT NULL DEFAULT 0,
  deleted_rows bigint       NOT NULL DEFAULT 0,
  state        varchar(20)  NOT NULL DEFAULT 'written',
  created_at   timestamptz  NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  removed_at   timestamptz,
  CONSTRAINT retention_archives_state_check
    CHECK (state IN ('written', 'verified', 'deleted', 'failed', 'removed')),
  CONSTRAINT retention_archives_sha256_check CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$')
);

CREATE INDEX retention_archives_state_idx ON retention_archives (state, created_at);
