-- Migration 0005_backups (up): the catalogue of backups (requirement 8). One row per attempt,
-- written before pg_dump starts (status running) and finished with the file's size, SHA-256,
-- locations and manifest, or with the stage and error that failed it. Verification and
-- retention update the row; a deleted backup keeps its row (deleted_at) as the audit trail.
CREATE TABLE backups (
  id              uuid        PRIMARY KEY,
  kind            text        NOT NULL,
  status          text        NOT NULL,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  file_name       text,
  bytes           bigint,
  sha256          text,
  location        text,
  mirror_location text,
  manifest        jsonb,
  failed_stage    text,
  error           text,
  verified_at     timestamptz,
  verify_result   text,
  verify_error    text,
  restore_ms      bigint,
  deleted_at      timestamptz,
  CONSTRAINT backups_kind_check CHECK (kind IN ('daily', 'weekly')),
  CONSTRAINT backups_status_check CHECK (status IN ('running', 'succeeded', 'failed')),
  CONSTRAINT backups_verify_result_check CHECK (verify_result IN ('passed', 'failed')),
  CONSTRAINT backups_succeeded_check
    CHECK (status <> 'succeeded' OR (file_name IS NOT NULL AND sha256 IS NOT NULL
                                     AND bytes IS NOT NULL AND manifest IS NOT NULL))
);

CREATE INDEX backups_started_at_idx ON backups (started_at DESC);
