-- Migration 0001_initial (down): drops everything 0001_initial.up.sql created. Dropping the
-- partitioned system_metrics drops all of its partitions, including those made later by
-- `partitions maintain`. Without IF EXISTS on purpose: a schema that is not what the up file
-- made fails the rollback (and the transaction) instead of being half removed.

DROP TABLE api_keys;
DROP TABLE system_metrics;
DROP TRIGGER insight_feedback_stats_truncate ON insight_feedback;
DROP TRIGGER insight_feedback_stats_delete ON insight_feedback;
DROP TRIGGER insight_feedback_stats_update ON insight_feedback;
DROP TRIGGER insight_feedback_stats_insert ON insight_feedback;
DROP FUNCTION insight_feedback_stats_trigger();
DROP FUNCTION insight_feedback_stats_apply(insight_feedback[], insight_feedback[]);
DROP TABLE insight_feedback_stats;
DROP TABLE insight_feedback;
DROP TABLE backfill_jobs;
