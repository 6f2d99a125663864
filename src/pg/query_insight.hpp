#pragma once
// What the service learns from its own statements (issue 11), fed by the pool's QueryObserver:
//  - statistics per fingerprint (StatementStats);
//  - slow statements (duration >= slow_threshold): a warn log line with the request id, route,
//    duration and plan, the plan being EXPLAIN (FORMAT JSON) of the same SQL with the same
//    parameters, run in the background on a pooled connection (never on the request's path), at
//    most once per fingerprint per explain_interval; the last `kept` are listed;
//  - N+1: a request that ran one fingerprint n_plus_one_threshold times or more gets a warn log
//    line, utxoiq_db_n_plus_one_total and an entry (request_finished, called by
//    http/request_scope);
//  - utxoiq_db_statement_duration_seconds{store,method}: statement latency by the store method
//    that runs it (its StatementTag; "untagged" for the rest: BEGIN/COMMIT and the like), a
//    bounded label set (the fingerprint is not).
// Requests are known through obs::current_request(). Like the Pool, it lives on the service's
// one I/O thread: observe, request_finished and the readers are called there only.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "obs/metrics.hpp"
#include "obs/request_context.hpp"
#include "pg/connection.hpp"
#include "pg/explain_limiter.hpp"
#include "pg/statement_fingerprint.hpp"
#include "pg/statement_stats.hpp"

namespace utxoiq::pg {

class Pool;

struct QueryInsightOptions {
  std::chrono::milliseconds slow_threshold{100};
  std::uint32_t n_plus_one_threshold = 5;
  std::size_t max_fingerprints = 500;
  std::size_t kept = 100;  // slow statements and N+1 entries listed
  std::chrono::seconds explain_interval{60};
  // The clock of explain_interval; empty: std::chrono::steady_clock (tests inject their own).
  std::function<std::chrono::steady_clock::time_point()> clock{};
};

struct SlowStatement {
  std::uint64_t sequence = 0;
  std::string fingerprint;
  std::string query;  // normalized
  double duration_ms = 0;
  std::chrono::system_clock::time_point at;
  std::string request_id;  // empty outside a request
  std::string route;
  std::string plan;  // EXPLAIN (FORMAT JSON) output; empty while pending or when not explained
};

struct NPlusOne {
  std::string fingerprint;
  std::string query;
  std::uint32_t count = 0;
  std::string route;
  std::string request_id;
  std::chrono::system_clock::time_point at;
};

// One run of a statement, kept (in memory only, never shown) so the index advisor can EXPLAIN it:
// the first run seen of each fingerprint.
struct StatementSample {
  std::string fingerprint;
  std::string sql;
  Params params;
};

class QueryInsight {
 public:
  // The statements this class runs itself start with this and are not observed.
  static constexpr std::string_view kExplainPrefix = "EXPLAIN (FORMAT JSON) ";

  QueryInsight(boost::asio::any_io_executor executor, QueryInsightOptions options,
               obs::Registry& registry);

  // The pool that runs the EXPLAINs (set once it exists; without one, no plans).
  void set_explain_pool(Pool* pool) { pool_ = pool; }
  // For ConnectOptions::observer; the QueryInsight must outlive the connections.
  QueryObserver observer();
  void observe(const QueryEvent& event);
  void request_finished(const obs::RequestContext& request);

  std::vector<StatementFigures> statements() const { return stats_.snapshot(); }
  // Newest first.
  std::vector<SlowStatement> slow_statements() const;
  std::vector<NPlusOne> n_plus_one() const;
  const QueryInsightOptions& options() const { return options_; }
  // For the index advisor: the slow statements' and the `top` most expensive (total time) ones.
  std::vector<StatementSample> advisor_statements(std::size_t top) const;

 private:
  void on_slow(const StatementIdentity& statement, const QueryEvent& event,
               const obs::RequestContext* request);
  Task<void> explain(std::uint64_t sequence, std::string sql, Params params);
  SlowStatement* find_slow(std::uint64_t sequence);
  obs::Histogram& duration_histogram(const StatementTag& tag);

  boost::asio::any_io_executor executor_;
  QueryInsightOptions options_;
  Pool* pool_ = nullptr;
  FingerprintCache fingerprints_;
  StatementStats stats_;
  std::deque<SlowStatement> slow_;
  std::deque<NPlusOne> n_plus_one_;
  ExplainLimiter explain_limiter_;
  std::uint64_t sequence_ = 0;
  std::unordered_map<std::string, StatementSample> samples_;  // by fingerprint id
  obs::Counter& slow_total_;
  obs::Counter& n_plus_one_total_;
  obs::Family<obs::Histogram>& durations_;
  // Keys view the owned names in duration_labels_ (a deque never moves its elements).
  std::deque<std::pair<std::string, std::string>> duration_labels_;
  std::map<std::pair<std::string_view, std::string_view>, obs::Histogram*> durations_by_method_;
};

}  // namespace utxoiq::pg
