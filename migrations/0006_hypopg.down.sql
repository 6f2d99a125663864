-- Migration 0006_hypopg (down): drops the hypopg extension when 0006 created it (it may not have:
-- the server may lack it). Nothing of ours depends on it.
DROP EXTENSION IF EXISTS hypopg;
