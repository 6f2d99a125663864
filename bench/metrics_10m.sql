-- Bench data for bench/queries.sh: :series series (5 services) with one point every :step seconds
-- over the last :days days, generated straight into system_metrics (not through HTTP), in time
-- order as ingestion would write it, into day partitions made here for the past days; then the
-- hourly rollups and the series catalogue built from those rows, as the service's ingest would
-- have kept them. 13 series x 90 days x 8,640 points = 10,108,800 rows.
\set ON_ERROR_STOP 1
SET TimeZone = 'UTC';
SET synchronous_commit = off;

SELECT format('CREATE TABLE IF NOT EXISTS %I PARTITION OF system_metrics FOR VALUES FROM (%L) TO (%L)',
              'system_metrics_p' || to_char(d, 'YYYYMMDD'), d, d + interval '1 day')
FROM generate_series(date_trunc('day', now()) - make_interval(days => :days),
                     date_trunc('day', now()) - interval '1 day', interval '1 day') AS g(d)
\gexec

INSERT INTO system_metrics (id, service_name, metric_type, metric_value, unit, "timestamp", metadata)
SELECT gen_random_uuid(), 'bench-svc-' || (s % 5), 'metric.' || s,
       round((50 + 40 * sin(extract(epoch FROM ts) / 3600.0 + s) + 10 * random())::numeric, 3),
       'ms', ts, NULL
FROM generate_series(date_trunc('minute', now()) - make_interval(days => :days),
                     date_trunc('minute', now()) - interval '1 second',
                     make_interval(secs => :step)) AS ts,
     generate_series(0, :series - 1) AS s;

INSERT INTO system_metrics_hourly (service_name, metric_type, bucket_start, count, sum, min, max)
SELECT service_name, metric_type, date_trunc('hour', "timestamp", 'UTC'), count(*),
       sum(metric_value), min(metric_value), max(metric_value)
FROM system_metrics
GROUP BY 1, 2, 3
ON CONFLICT (service_name, metric_type, bucket_start) DO UPDATE
  SET count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max;

INSERT INTO system_metrics_series (service_name, metric_type, unit, last_timestamp)
SELECT DISTINCT ON (service_name, metric_type) service_name, metric_type, unit, "timestamp"
FROM system_metrics
ORDER BY service_name, metric_type, "timestamp" DESC
ON CONFLICT (service_name, metric_type) DO UPDATE
  SET unit = EXCLUDED.unit, last_timestamp = EXCLUDED.last_timestamp;

VACUUM (ANALYZE) system_metrics;
ANALYZE system_metrics_hourly;
