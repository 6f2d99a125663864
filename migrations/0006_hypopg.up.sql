-- Migration 0006_hypopg (up): the hypopg extension, which the index advisor uses to plan a
-- statement as if a candidate index existed (hypothetical indexes live in one session's memory
-- and never touch the tables). Created only when the server has it installed
-- (Debian postgresql-15-hypopg): without it the migration succeeds, and the advisor answers
-- `hypopg: false` and lists only what the catalogs show. Creating an extension needs the rights
-- of its owner; a role without them gets a notice and no extension, not a failed migration.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS hypopg;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'hypopg is installed but this role cannot create it: %', SQLERRM;
    END;
  END IF;
END
$$;
