-- Migration 0002_reserved (down): PLACEHOLDER, see 0002_reserved.up.sql. Nothing to undo.
SELECT 1;
