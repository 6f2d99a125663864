-- Migration 0002_reserved (up): PLACEHOLDER. Version 0002 belongs to another branch; the migration
-- set refuses gaps (ops/migration_set.cpp), so this branch (which adds 0003) carries a no-op 0002
-- to stay runnable on its own. Delete this file and its down file when the real 0002 is merged.
SELECT 1;
