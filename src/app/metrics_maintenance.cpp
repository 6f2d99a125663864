// The metric tables' maintenance timer (see metrics_maintenance.hpp).
#include "app/metrics_maintenance.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "pg/pool.hpp"
#include "store/idempotency_keys.hpp"
#include "store/partition_coverage.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;

namespace {

std::vector<store::TimeRange> covered_ranges(const std::vector<ops::MetricPartition>& partitions) {
  std::vector<store::TimeRange> ranges;
  for (const auto& p : partitions) {
    if (p.is_default) continue;
    ranges.push_back({p.bound.from.value_or(kMinTimestamp), p.bound.to.value_or(kMaxTimestamp)});
  }
  return ranges;
}

obs::Counter& failures() {
  static obs::Counter& counter = obs::default_registry()
                                     .counter("utxoiq_metrics_maintenance_failures_total",
                                              "Failed passes of the metric tables' maintenance")
                                     .get();
  return counter;
}

}  // namespace

struct MetricsMaintenance::Impl {
  Impl(asio::io_context& io, pg::Pool& pool, store::PartitionCoverage& coverage,
       MetricsMaintenanceOptions options)
      : io(io), pool(pool), coverage(coverage), options(std::move(options)) {}

  asio::io_context& io;
  pg::Pool& pool;
  store::PartitionCoverage& coverage;
  MetricsMaintenanceOptions options;
  asio::thread_pool worker{1};  // the blocking partition work
  asio::steady_timer timer{io};
  asio::steady_timer loop_done{io};  // cancelled when the loop has ended
  bool stopping = false;
  bool loop_running = false;

  Task<void> maintain_partitions() {
    const auto url = options.database_url.get();
    const auto partition_options = options.partitions;
    // Runs on the worker thread; the awaiting coroutine resumes on the io thread. The lambda is
    // a named local, not a temporary of the co_await expression: GCC 12 destroys such temporaries
    // twice.
    auto work = [url, partition_options]() -> Task<ops::PartitionMaintenanceReport> {
      co_return ops::maintain_metric_partitions(url, partition_options);
    };
    auto report = co_await asio::co_spawn(worker, std::move(work), asio::use_awaitable);
    coverage.replace(covered_ranges(report.partitions));
    for (const auto& name : report.created) {
      obs::log_info("metric partition created", {{"partition", name}});
    }
    if (report.moved_rows > 0) {
      obs::log_info("metric rows moved out of the DEFAULT partition",
                    {{"rows", report.moved_rows}});
    }
    for (const auto day : report.blocked) {
      obs::log_warn("no day partition possible: the day overlaps an existing partition",
                    {{"day", format_rfc3339(Timestamp{day}).substr(0, 10)}});
    }
  }

  // Each part on its own, so a failure of one does not skip the other.
  Task<void> pass() {
    try {
      co_await maintain_partitions();
    } catch (const std::exception& e) {
      failures().inc();
      obs::log_warn("metric partition maintenance failed; retried at the next pass",
                    {{"error", e.what()}});
    }
    try {
      const auto deleted = co_await store::delete_expired_idempotency_keys(pool);
      if (deleted > 0) obs::log_info("expired idempotency keys deleted", {{"rows", deleted}});
    } catch (const std::exception& e) {
      failures().inc();
      obs::log_warn("deleting expired idempotency keys failed; retried at the next pass",
                    {{"error", e.what()}});
    }
  }

  Task<void> loop() {
    while (!stopping) {
      timer.expires_after(options.interval);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping) break;
      co_await pass();
    }
  }
};

MetricsMaintenance::MetricsMaintenance(asio::io_context& io, pg::Pool& pool,
                                       store::PartitionCoverage& coverage,
                                       MetricsMaintenanceOptions options)
    : impl_(std::make_unique<Impl>(io, pool, coverage, std::move(options))) {}

MetricsMaintenance::~MetricsMaintenance() {
  impl_->worker.join();
}

Task<void> MetricsMaintenance::start() {
  Impl& impl = *impl_;
  co_await impl.pass();
  if (impl.stopping || impl.loop_running) co_return;
  impl.loop_running = true;
  impl.loop_done.expires_at(asio::steady_timer::time_point::max());
  asio::co_spawn(impl.io, impl.loop(), [&impl](std::exception_ptr) {
    impl.loop_running = false;
    impl.loop_done.cancel();
  });
}

Task<void> MetricsMaintenance::stop() {
  Impl& impl = *impl_;
  impl.stopping = true;
  impl.timer.cancel();
  if (impl.loop_running) {
    co_await impl.loop_done.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace utxoiq::app
