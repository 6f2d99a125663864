-- Migration 0001_initial (up): the first schema of utxoiq-store.
-- Tables of design.md "Data": backfill jobs, insight feedback with its per-insight aggregate,
-- partitioned system metrics, API keys. Ids are UUIDv7 made by the application, so no column
-- has a default id and no extension is needed.

-- Backfill jobs (requirement 1). `version` is the optimistic-locking counter of the API;
-- `last_progress_at` lets the API mark a running job without progress as stale.
CREATE TABLE backfill_jobs (
  id                   uuid PRIMARY KEY,
  job_type             varchar(50)      NOT NULL,
  start_block          bigint           NOT NULL,
  end_block            bigint           NOT NULL,
  current_block        bigint           NOT NULL,
  status               varchar(20)      NOT NULL DEFAULT 'running',
  progress_percentage  double precision NOT NULL DEFAULT 0,
  estimated_completion timestamptz,
  error_message        text,
  started_at           timestamptz      NOT NULL DEFAULT now(),
  updated_at           timestamptz      NOT NULL DEFAULT now(),
  completed_at         timestamptz,
  created_by           varchar(100),
  version              bigint           NOT NULL DEFAULT 1,
  last_progress_at     timestamptz,
  CONSTRAINT backfill_jobs_status_check
    CHECK (status IN ('running', 'paused', 'completed', 'failed')),
  CONSTRAINT backfill_jobs_blocks_check
    CHECK (0 <= start_block AND start_block <= current_block AND current_block <= end_block),
  CONSTRAINT backfill_jobs_progress_check
    CHECK (progress_percentage >= 0 AND progress_percentage <= 100),
  CONSTRAINT backfill_jobs_version_check CHECK (version >= 1)
);

-- Keyset pages, newest first: (started_at, id) is the cursor, optionally filtered.
CREATE INDEX backfill_jobs_started_idx ON backfill_jobs (started_at DESC, id DESC);
CREATE INDEX backfill_jobs_status_started_idx ON backfill_jobs (status, started_at DESC, id DESC);
CREATE INDEX backfill_jobs_type_started_idx ON backfill_jobs (job_type, started_at DESC, id DESC);

-- Insight feedback (requirement 2): one row per (insight_id, user_id), each POST fills its fields.
CREATE TABLE insight_feedback (
  id          uuid PRIMARY KEY,
  insight_id  varchar(100) NOT NULL,
  user_id     varchar(100) NOT NULL,
  rating      smallint,
  comment     text,
  flag_type   varchar(20),
  flag_reason text,
  created_at  timestamptz  NOT NULL DEFAULT now(),
  updated_at  timestamptz  NOT NULL DEFAULT now(),
  CONSTRAINT insight_feedback_insight_user_key UNIQUE (insight_id, user_id),
  CONSTRAINT insight_feedback_rating_check CHECK (rating BETWEEN 1 AND 5),
  CONSTRAINT insight_feedback_flag_type_check
    CHECK (flag_type IN ('inaccurate', 'misleading', 'spam', 'other')),
  CONSTRAINT insight_feedback_flag_reason_check CHECK (flag_reason IS NULL OR flag_type IS NOT NULL)
);

CREATE INDEX insight_feedback_insight_created_idx
  ON insight_feedback (insight_id, created_at DESC, id DESC);
CREATE INDEX insight_feedback_user_created_idx
  ON insight_feedback (user_id, created_at DESC, id DESC);
CREATE INDEX insight_feedback_created_idx ON insight_feedback (created_at DESC, id DESC);

-- Per-insight aggregate of insight_feedback, so the statistics endpoint reads one row instead of
-- scanning every feedback of an insight. A row counts as a comment when `comment` is not null and
-- as a flag when `flag_type` is not null.
CREATE TABLE insight_feedback_stats (
  insight_id       varchar(100) PRIMARY KEY,
  total_ratings    bigint      NOT NULL DEFAULT 0,
  rating_sum       bigint      NOT NULL DEFAULT 0,
  rating_1         bigint      NOT NULL DEFAULT 0,
  rating_2         bigint      NOT NULL DEFAULT 0,
  rating_3         bigint      NOT NULL DEFAULT 0,
  rating_4         bigint      NOT NULL DEFAULT 0,
  rating_5         bigint      NOT NULL DEFAULT 0,
  total_comments   bigint      NOT NULL DEFAULT 0,
  total_flags      bigint      NOT NULL DEFAULT 0,
  flag_inaccurate  bigint      NOT NULL DEFAULT 0,
  flag_misleading  bigint      NOT NULL DEFAULT 0,
  flag_spam        bigint      NOT NULL DEFAULT 0,
  flag_other       bigint      NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Adds the rows of `added` to the aggregate and takes away those of `removed`. Kept in the
-- database (fired by the triggers below) rather than in the application, so every write path --
-- the API, retention deletes, erasure, a manual fix in psql -- keeps the aggregate exact in the
-- same transaction. Insights are upserted in insight_id order so that concurrent statements
-- touching several insights lock their aggregate rows in the same order and do not deadlock
-- each other.
CREATE FUNCTION insight_feedback_stats_apply(removed insight_feedback[], added insight_feedback[])
RETURNS void
LANGUAGE sql
AS $$
  INSERT INTO insight_feedback_stats AS s (
    insight_id, total_ratings, rating_sum, rating_1, rating_2, rating_3, rating_4, rating_5,
    total_comments, total_flags, flag_inaccurate, flag_misleading, flag_spam, flag_other,
    updated_at)
  SELECT d.insight_id,
         sum(CASE WHEN d.rating IS NOT NULL THEN d.sign ELSE 0 END),
         sum(d.sign * coalesce(d.rating, 0)),
         sum(CASE WHEN d.rating = 1 THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.rating = 2 THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.rating = 3 THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.rating = 4 THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.rating = 5 THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.comment IS NOT NULL THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.flag_type IS NOT NULL THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.flag_type = 'inaccurate' THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.flag_type = 'misleading' THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.flag_type = 'spam' THEN d.sign ELSE 0 END),
         sum(CASE WHEN d.flag_type = 'other' THEN d.sign ELSE 0 END),
         now()
  FROM (
    SELECT r.insight_id, -1 AS sign, r.rating, r.comment, r.flag_type FROM unnest(removed) AS r
    UNION ALL
    SELECT a.insight_id, 1 AS sign, a.rating, a.comment, a.flag_type FROM unnest(added) AS a
  ) AS d
  GROUP BY d.insight_id
  ORDER BY d.insight_id
  ON CONFLICT (insight_id) DO UPDATE SET
    total_ratings   = s.total_ratings   + EXCLUDED.total_ratings,
    rating_sum      = s.rating_sum      + EXCLUDED.rating_sum,
    rating_1        = s.rating_1        + EXCLUDED.rating_1,
    rating_2        = s.rating_2        + EXCLUDED.rating_2,
    rating_3        = s.rating_3        + EXCLUDED.rating_3,
    rating_4        = s.rating_4        + EXCLUDED.rating_4,
    rating_5        = s.rating_5        + EXCLUDED.rating_5,
    total_comments  = s.total_comments  + EXCLUDED.total_comments,
    total_flags     = s.total_flags     + EXCLUDED.total_flags,
    flag_inaccurate = s.flag_inaccurate + EXCLUDED.flag_inaccurate,
    flag_misleading = s.flag_misleading + EXCLUDED.flag_misleading,
    flag_spam       = s.flag_spam       + EXCLUDED.flag_spam,
    flag_other      = s.flag_other      + EXCLUDED.flag_other,
    updated_at      = EXCLUDED.updated_at;
$$;

-- Statement-level triggers with transition tables: one aggregate update per insight and
-- statement, also for bulk deletes (retention, erasure). PostgreSQL allows transition tables
-- only on single-event triggers, hence one trigger per event, all sharing one function. An
-- INSERT ... ON CONFLICT DO UPDATE fires both the INSERT trigger (rows inserted) and the UPDATE
-- trigger (rows updated), each seeing only its own rows. Transition-table rows are records, hence
-- the casts to the table's row type.
CREATE FUNCTION insight_feedback_stats_trigger() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM insight_feedback_stats_apply('{}',
                                         ARRAY(SELECT n::insight_feedback FROM new_rows AS n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM insight_feedback_stats_apply(ARRAY(SELECT o::insight_feedback FROM old_rows AS o),
                                         ARRAY(SELECT n::insight_feedback FROM new_rows AS n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM insight_feedback_stats_apply(ARRAY(SELECT o::insight_feedback FROM old_rows AS o),
                                         '{}');
  ELSIF TG_OP = 'TRUNCATE' THEN
    DELETE FROM insight_feedback_stats;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER insight_feedback_stats_insert
  AFTER INSERT ON insight_feedback REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_feedback_stats_trigger();
CREATE TRIGGER insight_feedback_stats_update
  AFTER UPDATE ON insight_feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_feedback_stats_trigger();
CREATE TRIGGER insight_feedback_stats_delete
  AFTER DELETE ON insight_feedback REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_feedback_stats_trigger();
CREATE TRIGGER insight_feedback_stats_truncate
  AFTER TRUNCATE ON insight_feedback
  FOR EACH STATEMENT EXECUTE FUNCTION insight_feedback_stats_trigger();

-- System metrics (requirement 3): partitioned by range of `timestamp`. Partitions ahead of time are
-- made by `partitions maintain`; the DEFAULT partition catches any row no partition covers, so an
-- insert never fails for want of a partition. The partition key must be part of the primary key.
CREATE TABLE system_metrics (
  id           uuid             NOT NULL,
  service_name varchar(100)     NOT NULL,
  metric_type  varchar(50)      NOT NULL,
  metric_value double precision NOT NULL,
  unit         varchar(20)      NOT NULL,
  "timestamp"  timestamptz      NOT NULL,
  metadata     jsonb,
  CONSTRAINT system_metrics_pkey PRIMARY KEY ("timestamp", id),
  CONSTRAINT system_metrics_value_finite_check
    CHECK (metric_value <> 'NaN'::float8 AND metric_value <> 'Infinity'::float8
           AND metric_value <> '-Infinity'::float8)
) PARTITION BY RANGE ("timestamp");

CREATE INDEX system_metrics_series_time_idx
  ON system_metrics (service_name, metric_type, "timestamp");

CREATE TABLE system_metrics_default PARTITION OF system_metrics DEFAULT;

-- API keys: only the SHA-256 of a key is stored (lowercase hex), never the key.
CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  key_hash     varchar(64)  NOT NULL,
  role         varchar(10)  NOT NULL,
  name         varchar(100),
  created_at   timestamptz  NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz,
  CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash),
  CONSTRAINT api_keys_key_hash_check CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT api_keys_role_check CHECK (role IN ('reader', 'writer', 'admin'))
);
