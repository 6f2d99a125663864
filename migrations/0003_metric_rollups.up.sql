-- Migration 0003_metric_rollups (up): what keeps the metric reads fast while system_metrics grows
-- to hundreds of millions of rows (requirement 3): hourly rollups for the aggregates, the series
-- catalogue for GET /metrics/series, and the remembered answers of Idempotency-Key writes.

-- One row per series and UTC hour: count, sum, min and max of that hour's points. The service
-- upserts it in the same transaction as the points, so it is exact at every commit; day and
-- ISO-week aggregates add up these rows instead of rescanning raw points.
CREATE TABLE system_metrics_hourly (
  service_name varchar(100)     NOT NULL,
  metric_type  varchar(50)      NOT NULL,
  bucket_start timestamptz      NOT NULL,
  count        bigint           NOT NULL,
  sum          double precision NOT NULL,
  min          double precision NOT NULL,
  max          double precision NOT NULL,
  CONSTRAINT system_metrics_hourly_pkey PRIMARY KEY (service_name, metric_type, bucket_start),
  CONSTRAINT system_metrics_hourly_count_check CHECK (count > 0),
  CONSTRAINT system_metrics_hourly_min_max_check CHECK (min <= max),
  CONSTRAINT system_metrics_hourly_aligned_check
    CHECK (bucket_start = date_trunc('hour', bucket_start, 'UTC'))
);

-- Every series ever written, with the unit and time of its newest point: GET /metrics/series reads
-- this instead of a DISTINCT over the raw table.
CREATE TABLE system_metrics_series (
  service_name   varchar(100) NOT NULL,
  metric_type    varchar(50)  NOT NULL,
  unit           varchar(20)  NOT NULL,
  last_timestamp timestamptz  NOT NULL,
  CONSTRAINT system_metrics_series_pkey PRIMARY KEY (service_name, metric_type)
);

-- Rows that were in system_metrics before this migration (none, unless someone wrote them by
-- hand) get their rollups and series too, so the new tables agree with the raw data from the
-- start.
INSERT INTO system_metrics_hourly (service_name, metric_type, bucket_start, count, sum, min, max)
SELECT service_name, metric_type, date_trunc('hour', "timestamp", 'UTC'),
       count(*), sum(metric_value), min(metric_value), max(metric_value)
FROM system_metrics
GROUP BY 1, 2, 3;

INSERT INTO system_metrics_series (service_name, metric_type, unit, last_timestamp)
SELECT DISTINCT ON (service_name, metric_type) service_name, metric_type, unit, "timestamp"
FROM system_metrics
ORDER BY service_name, metric_type, "timestamp" DESC;

-- The first answer to a write sent with an Idempotency-Key, so that a retry gets that answer
-- instead of writing again (api.md: "keys remembered 24 h"). The key row is inserted in the same
-- transaction as the data it guards: a concurrent request with the same key waits on the
-- uncommitted row and then reads the answer. `scope` is the caller's API key id ('' for calls
-- without one), so two clients cannot collide on each other's keys. request_sha256 fingerprints
-- the route and body, to tell a retry from a different request reusing the key.
CREATE TABLE idempotency_keys (
  scope           varchar(100) NOT NULL,
  idempotency_key varchar(255) NOT NULL,
  request_sha256  varchar(64)  NOT NULL,
  status          smallint     NOT NULL,
  response_body   text         NOT NULL,
  created_at      timestamptz  NOT NULL DEFAULT now(),
  expires_at      timestamptz  NOT NULL,
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, idempotency_key),
  CONSTRAINT idempotency_keys_sha256_check CHECK (request_sha256 ~ '^[0-9a-f]{64}$')
);

-- The service's timer deletes expired keys by this index.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
