#pragma once
// What the backfill handlers need from storage, as small interfaces (api.md, "Backfill jobs"):
// reads (one job, a page of jobs) and writes (start and the life-cycle changes). The PostgreSQL
// repository (pg_backfill_jobs.hpp) implements all three; the cache in front of BackfillJobReader
// (api/cached_backfill_jobs.hpp) learns of every committed change from the repository's write
// listeners.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/backfill_job.hpp"
#include "domain/backfill_requests.hpp"
#include "domain/backfill_rules.hpp"
#include "domain/cursor.hpp"
#include "store/write_listeners.hpp"
#include "util/field_error.hpp"
#include "util/task.hpp"
#include "util/uuid.hpp"

namespace utxoiq::store {

class BackfillJobReader {
 public:
  virtual ~BackfillJobReader() = default;
  // The job, or nullopt when there is none with this id.
  virtual Task<std::optional<domain::BackfillJob>> get(const Uuid& id) = 0;
};

// One keyset page, newest started_at first; `next` is the key of the last job when more follow.
struct BackfillJobPage {
  std::vector<domain::BackfillJob> jobs;
  std::optional<domain::KeysetCursor> next;
};

class BackfillJobLister {
 public:
  virtual ~BackfillJobLister() = default;
  virtual Task<BackfillJobPage> list(const domain::BackfillListQuery& query) = 0;
};

// The outcome of a life-cycle change of a stored job: the domain rule's outcome, or not_found.
using JobWrite = domain::JobChange;

class BackfillJobWriter {
 public:
  virtual ~BackfillJobWriter() = default;
  // Creates a running job and returns it.
  virtual Task<domain::BackfillJob> start(const domain::StartJob& request) = 0;
  virtual Task<JobWrite> progress(const domain::ProgressUpdate& update) = 0;
  virtual Task<JobWrite> complete(const Uuid& id) = 0;
  virtual Task<JobWrite> fail(const Uuid& id, const domain::FailJob& request) = 0;
  virtual Task<JobWrite> pause(const Uuid& id) = 0;
  virtual Task<JobWrite> resume(const Uuid& id) = 0;
};

// Told of every committed change to jobs (start included), with the jobs as stored, each once
// (write_listeners.hpp); a batch of progress reports is one notice for all the jobs it changed.
using BackfillWriteListener = WriteListeners<std::vector<domain::BackfillJob>>::Listener;

}  // namespace utxoiq::store
