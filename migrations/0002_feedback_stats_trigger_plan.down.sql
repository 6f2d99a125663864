-- Migration 0002_feedback_stats_trigger_plan (down): restores 0001's trigger function exactly
-- (the aggregate's meaning is the same either way, so no data changes).
CREATE OR REPLACE FUNCTION insight_feedback_stats_trigger() RETURNS trigger
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
