#pragma once
// The backfill_jobs table (migration 0001) behind the backfill interfaces of backfill_store.hpp.
// The life-cycle rules are the domain's (domain/backfill_rules.hpp); this class only reads the
// stored job, lets a rule decide, and writes the result back in the same transaction. Progress
// reports, the hot write, are grouped into batches that do the same for many reports at once
// (backfill_progress_batcher.hpp).
#include <string>
#include <vector>

#include "domain/backfill_rules.hpp"
#include "pg/statement_tag.hpp"
#include "store/backfill_progress_batcher.hpp"
#include "store/backfill_store.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class PgBackfillJobs final : public BackfillJobReader,
                             public BackfillJobLister,
                             public BackfillJobWriter {
 public:
  explicit PgBackfillJobs(pg::Pool& pool)
      : pool_(pool), progress_(pool, [this](std::vector<domain::BackfillJob> jobs) {
          return listeners_.notify(std::move(jobs));
        }) {}

  void add_write_listener(BackfillWriteListener listener) { listeners_.add(std::move(listener)); }

  Task<std::optional<domain::BackfillJob>> get(const Uuid& id) override;
  Task<BackfillJobPage> list(const domain::BackfillListQuery& query) override;

  Task<domain::BackfillJob> start(const domain::StartJob& request) override;
  Task<JobWrite> progress(const domain::ProgressUpdate& update) override;
  Task<JobWrite> complete(const Uuid& id) override;
  Task<JobWrite> fail(const Uuid& id, const domain::FailJob& request) override;
  Task<JobWrite> pause(const Uuid& id) override;
  Task<JobWrite> resume(const Uuid& id) override;

 private:
  using Rule = std::function<JobWrite(const domain::BackfillJob&, Timestamp now)>;
  // Locks the job, lets `rule` decide, and stores an applied change with `update_sql`.
  Task<JobWrite> change(const Uuid& id, Rule rule, const pg::TaggedSql& update_sql);

  pg::Pool& pool_;
  WriteListeners<std::vector<domain::BackfillJob>> listeners_{"backfill job"};
  // progress() goes through it: many reports, one transaction, one notice to the listeners.
  BackfillProgressBatcher progress_;
};

}  // namespace utxoiq::store
