-- Migration 0005_backups (down): drops the backup catalogue. The backup files stay where they are.
DROP TABLE backups;
