// QueryInsight (see query_insight.hpp).
#include "pg/query_insight.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cassert>

#include "obs/logging.hpp"
#include "pg/pool.hpp"

namespace utxoiq::pg {

namespace {

constexpr std::string_view kUntagged = "untagged";

double ms(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

template <typename T>
void keep_last(std::deque<T>& entries, T entry, std::size_t kept) {
  entries.push_back(std::move(entry));
  while (entries.size() > kept) entries.pop_front();
}

template <typename T>
std::vector<T> newest_first(const std::deque<T>& entries) {
  return std::vector<T>(entries.rbegin(), entries.rend());
}

void log_slow(const SlowStatement& slow, std::string_view plan) {
  obs::log_warn("slow statement", {{"request_id", slow.request_id},
                                   {"route", slow.route},
                                   {"duration_ms", slow.duration_ms},
                                   {"fingerprint", slow.fingerprint},
                                   {"query", slow.query},
                                   {"plan", plan}});
}

}  // namespace

QueryInsight::QueryInsight(boost::asio::any_io_executor executor, QueryInsightOptions options,
                           obs::Registry& registry)
    : executor_(std::move(executor)),
      options_(options),
      fingerprints_(options.max_fingerprints * 2),
      stats_(options.max_fingerprints),
      explain_limiter_(options.explain_interval, options.max_fingerprints),
      slow_total_(registry
                      .counter("utxoiq_db_slow_statements_total",
                               "Statements that took at least --slow-query-ms")
                      .get()),
      n_plus_one_total_(registry
                            .counter("utxoiq_db_n_plus_one_total",
                                     "Requests that ran one statement --n-plus-one-threshold "
                                     "times or more (counted once per statement)")
                            .get()),
      durations_(registry.histogram("utxoiq_db_statement_duration_seconds",
                                    "Statement round trips by the store method that runs them "
                                    "(untagged: transaction control and statements outside stores)",
                                    {"store", "method"})) {
  assert(options_.n_plus_one_threshold >= 2);
}

QueryObserver QueryInsight::observer() {
  return [this](const QueryEvent& event) { observe(event); };
}

void QueryInsight::observe(const QueryEvent& event) {
  if (event.sql.starts_with(kExplainPrefix)) return;
  const StatementIdentity& statement = fingerprints_.get(event.sql);
  stats_.record(statement, event.duration, event.rows);
  if (samples_.size() < options_.max_fingerprints && !samples_.contains(statement.id)) {
    samples_.emplace(statement.id, StatementSample{statement.id, std::string(event.sql),
                                                   event.params ? *event.params : Params{}});
  }
  obs::RequestContext* request = obs::current_request();
  if (request) ++request->statement_counts[statement.fingerprint];
  duration_histogram(event.tag).observe(std::chrono::duration<double>(event.duration).count());
  if (event.duration >= options_.slow_threshold) on_slow(statement, event, request);
}

void QueryInsight::on_slow(const StatementIdentity& statement, const QueryEvent& event,
                           const obs::RequestContext* request) {
  slow_total_.inc();
  SlowStatement slow{.sequence = ++sequence_,
                     .fingerprint = statement.id,
                     .query = statement.normalized,
                     .duration_ms = ms(event.duration),
                     .at = std::chrono::system_clock::now(),
                     .request_id = request ? request->request_id : std::string(),
                     .route = request ? request->route : std::string(),
                     .plan = {}};
  const auto now = options_.clock ? options_.clock() : std::chrono::steady_clock::now();
  const bool explain_now = pool_ && explain_limiter_.allow(statement.fingerprint, now);
  if (!explain_now) {
    log_slow(slow,
             pool_ ? "(explained less than explain_interval ago)" : "(no pool to explain on)");
  }
  keep_last(slow_, std::move(slow), options_.kept);
  if (!explain_now) return;
  boost::asio::co_spawn(
      executor_,
      explain(sequence_, std::string(event.sql), event.params ? *event.params : Params{}),
      boost::asio::detached);
}

Task<void> QueryInsight::explain(std::uint64_t sequence, std::string sql, Params params) {
  std::string plan;
  try {
    const std::string explain_sql = std::string(kExplainPrefix) + sql;
    const Result result = co_await pool_->execute(explain_sql, std::move(params));
    if (!result.empty()) plan = std::string(result.text(0, 0));
  } catch (const std::exception& e) {
    obs::log_debug("slow statement not explained", {{"error", e.what()}});
  }
  SlowStatement* slow = find_slow(sequence);
  if (!slow) co_return;  // already pushed out of the list
  slow->plan = plan;
  log_slow(*slow, plan.empty() ? std::string_view("(no plan)") : std::string_view(plan));
}

obs::Histogram& QueryInsight::duration_histogram(const StatementTag& tag) {
  const bool tagged = !tag.store.empty();
  const std::pair key(tagged ? tag.store : kUntagged, tagged ? tag.method : kUntagged);
  auto found = durations_by_method_.find(key);
  if (found == durations_by_method_.end()) {
    const auto& [store, method] = duration_labels_.emplace_back(key.first, key.second);
    auto& histogram = durations_.labels({std::string_view(store), std::string_view(method)});
    found = durations_by_method_
                .emplace(std::pair(std::string_view(store), std::string_view(method)), &histogram)
                .first;
  }
  return *found->second;
}

SlowStatement* QueryInsight::find_slow(std::uint64_t sequence) {
  for (auto& slow : slow_)
    if (slow.sequence == sequence) return &slow;
  return nullptr;
}

void QueryInsight::request_finished(const obs::RequestContext& request) {
  for (const auto& [fingerprint, count] : request.statement_counts) {
    if (count < options_.n_plus_one_threshold) continue;
    NPlusOne entry{.fingerprint = fingerprint_hex(fingerprint),
                   .query = stats_.query_of(fingerprint),
                   .count = count,
                   .route = request.route,
                   .request_id = request.request_id,
                   .at = std::chrono::system_clock::now()};
    n_plus_one_total_.inc();
    obs::log_warn("N+1 statements", {{"request_id", entry.request_id},
                                     {"route", entry.route},
                                     {"count", entry.count},
                                     {"fingerprint", entry.fingerprint},
                                     {"query", entry.query}});
    keep_last(n_plus_one_, std::move(entry), options_.kept);
  }
}

std::vector<StatementSample> QueryInsight::advisor_statements(std::size_t top) const {
  std::vector<std::string> ids;
  for (const auto& slow : slow_) ids.push_back(slow.fingerprint);
  const auto figures = stats_.snapshot();
  for (std::size_t i = 0; i < figures.size() && i < top; ++i) ids.push_back(figures[i].fingerprint);
  std::vector<StatementSample> out;
  for (const auto& id : ids) {
    const auto found = samples_.find(id);
    if (found == samples_.end()) continue;
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const auto& s) { return s.fingerprint == id; });
    if (!seen) out.push_back(found->second);
  }
  return out;
}

std::vector<SlowStatement> QueryInsight::slow_statements() const {
  return newest_first(slow_);
}

std::vector<NPlusOne> QueryInsight::n_plus_one() const {
  return newest_first(n_plus_one_);
}

}  // namespace utxoiq::pg
