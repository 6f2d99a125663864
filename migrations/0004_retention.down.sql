-- Migration 0004_retention (down): drops the tables 0004_retention.up.sql created. The archive
-- files on disk stay where they are.

DROP TABLE retention_archives;
DROP TABLE retention_runs;
DROP TABLE scheduled_runs;
