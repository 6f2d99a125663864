-- Sends the bench's admin key (bench/run.sh exports UTXOIQ_BOOTSTRAP_ADMIN_KEY) with every
-- request of a GET case whose URL wrk already has.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")
