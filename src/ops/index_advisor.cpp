// advise_indexes (see index_advisor.hpp). Every hypothetical index is dropped (hypopg_reset) right
// after the EXPLAIN that uses it, so none outlives one candidate's check.
#include "ops/index_advisor.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "ops/index_candidates.hpp"

namespace utxoiq::ops {

namespace {

std::string quote_identifier(const std::string& name) {
  const bool plain =
      !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (plain) return name;
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string index_definition(const IndexCandidate& candidate, bool concurrently) {
  std::string columns;
  for (const auto& column : candidate.columns)
    columns += (columns.empty() ? "" : ", ") + quote_identifier(column);
  return std::string("CREATE INDEX ") + (concurrently ? "CONCURRENTLY " : "") + "ON " +
         quote_identifier(candidate.table) + " (" + columns + ")";
}

bool has_hypopg(pg::BlockingConnection& c) {
  return !c.exec("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'").rows.empty();
}

// The cheapest candidate that halves the cost, if any.
std::optional<IndexSuggestion> best_candidate(pg::BlockingConnection& c,
                                              const AdvisedStatement& statement, double before,
                                              const IndexAdvisorOptions& options) {
  std::optional<IndexSuggestion> best;
  for (const auto& candidate : index_candidates(statement.sql)) {
    c.exec_params("SELECT indexrelid FROM hypopg_create_index($1)",
                  {index_definition(candidate, false)});
    double after = before;
    try {
      after = estimated_cost(c, statement);
    } catch (const pg::BlockingConnectionError&) {
      // e.g. a column that is not in that table after all: not a candidate
    }
    c.exec("SELECT hypopg_reset()");
    if (after > before * (1 - options.min_improvement)) continue;
    if (best && (after > best->cost_after ||
                 (after == best->cost_after && candidate.columns.size() >= best->columns.size())))
      continue;
    best = IndexSuggestion{candidate.table,
                           candidate.columns,
                           index_definition(candidate, true),
                           {statement.fingerprint},
                           before,
                           after};
  }
  return best;
}

void suggest(pg::BlockingConnection& c, const std::vector<AdvisedStatement>& statements,
             const IndexAdvisorOptions& options, std::vector<IndexSuggestion>& out) {
  for (const auto& statement : statements) {
    double before = 0;
    try {
      before = estimated_cost(c, statement);
    } catch (const pg::BlockingConnectionError&) {
      continue;  // not explainable (utility statement, COPY, ...)
    }
    if (before < options.min_cost) continue;
    auto best = best_candidate(c, statement, before, options);
    if (!best) continue;
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const auto& s) { return s.statement == best->statement; });
    if (same == out.end()) {
      out.push_back(std::move(*best));
    } else {
      same->fingerprints.push_back(statement.fingerprint);
    }
  }
}

std::int64_t to_int(const std::optional<std::string>& text) {
  return text ? std::stoll(*text) : 0;
}

void catalog_checks(pg::BlockingConnection& c, const IndexAdvisorOptions& options,
                    IndexAdvice& advice) {
  const auto unused = c.exec_params(
      "SELECT s.indexrelid::regclass::text AS index, s.relid::regclass::text AS table, "
      "pg_relation_size(s.indexrelid) AS bytes, s.idx_scan AS scans "
      "FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid "
      "WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary "
      "AND pg_relation_size(s.indexrelid) >= $1::bigint ORDER BY 3 DESC, 1",
      {std::to_string(options.min_unused_bytes)});
  for (std::size_t r = 0; r < unused.rows.size(); ++r)
    advice.unused.push_back({*unused.at(r, "index"), *unused.at(r, "table"),
                             to_int(unused.at(r, "bytes")), to_int(unused.at(r, "scans"))});
  // a's key columns are a prefix of b's (or equal, then the later one is reported), same access
  // method, neither partial nor on expressions; a unique index is never the duplicate.
  const auto duplicates = c.exec(
      "SELECT a.indexrelid::regclass::text AS index, b.indexrelid::regclass::text AS "
      "duplicate_of, a.indrelid::regclass::text AS table "
      "FROM pg_index a JOIN pg_index b ON a.indrelid = b.indrelid AND a.indexrelid <> "
      "b.indexrelid JOIN pg_class ca ON ca.oid = a.indexrelid JOIN pg_class cb ON cb.oid = "
      "b.indexrelid JOIN pg_namespace n ON n.oid = ca.relnamespace "
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' "
      "AND ca.relam = cb.relam AND a.indpred IS NULL AND b.indpred IS NULL AND a.indexprs IS "
      "NULL AND b.indexprs IS NULL AND NOT a.indisunique "
      "AND (b.indkey::text || ' ') LIKE (a.indkey::text || ' %') "
      "AND (a.indkey::text <> b.indkey::text OR a.indexrelid > b.indexrelid) ORDER BY 1, 2");
  for (std::size_t r = 0; r < duplicates.rows.size(); ++r)
    advice.duplicates.push_back({*duplicates.at(r, "index"), *duplicates.at(r, "duplicate_of"),
                                 *duplicates.at(r, "table")});
  const auto invalid = c.exec(
      "SELECT i.indexrelid::regclass::text AS index, i.indrelid::regclass::text AS table "
      "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
      "WHERE NOT i.indisvalid AND t.relkind <> 'p' ORDER BY 1");
  for (std::size_t r = 0; r < invalid.rows.size(); ++r)
    advice.invalid.push_back({*invalid.at(r, "index"), *invalid.at(r, "table")});
}

}  // namespace

double estimated_cost(pg::BlockingConnection& connection, const AdvisedStatement& statement) {
  const auto result =
      connection.exec_params("EXPLAIN (FORMAT JSON) " + statement.sql, statement.params);
  const auto plan = boost::json::parse(result.rows.at(0).at(0).value_or("[]"));
  return plan.at(0).at("Plan").at("Total Cost").to_number<double>();
}

IndexAdvice advise_indexes(pg::BlockingConnection& connection,
                           const std::vector<AdvisedStatement>& statements,
                           const IndexAdvisorOptions& options) {
  IndexAdvice advice;
  advice.hypopg = has_hypopg(connection);
  if (advice.hypopg) suggest(connection, statements, options, advice.suggestions);
  catalog_checks(connection, options, advice);
  return advice;
}

}  // namespace utxoiq::ops
