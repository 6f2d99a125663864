-- Migration 0003_metric_rollups (down): drops the tables 0003_metric_rollups.up.sql created. The
-- raw points in system_metrics stay; applying the up file again rebuilds rollups and series from
-- them.

DROP TABLE idempotency_keys;
DROP TABLE system_metrics_series;
DROP TABLE system_metrics_hourly;
