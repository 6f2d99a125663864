#pragma once
// Builds a SELECT whose WHERE clause depends on which filters a request gave, with every value
// bound as a parameter ($1, $2, ...): only fixed SQL fragments written in the repositories are
// ever concatenated, never text from a request. One SQL text per combination of filters, so each
// combination gets its own prepared statement and a plan that uses the matching index (a single
// text with "($1 IS NULL OR col = $1)" would get one generic plan that fits none of them).
//
//   QueryBuilder q("SELECT ... FROM backfill_jobs");
//   if (status) q.where("status = " + q.bind(*status));
//   q.append(" ORDER BY started_at DESC, id DESC LIMIT " + q.bind(limit + 1));
//   co_await pool.execute(q.sql(), q.params());
#include <string>
#include <string_view>

#include "pg/params.hpp"

namespace utxoiq::store {

class QueryBuilder {
 public:
  explicit QueryBuilder(std::string_view select) : sql_(select) {}

  // Adds a parameter and returns its placeholder ("$3").
  std::string bind(pg::Param value);
  // Adds a condition: " WHERE cond" the first time, " AND cond" afterwards.
  void where(std::string_view condition);
  // Appends a fixed fragment (ORDER BY, LIMIT).
  void append(std::string_view fragment) { sql_ += fragment; }

  const std::string& sql() const { return sql_; }
  const pg::Params& params() const { return params_; }

 private:
  std::string sql_;
  pg::Params params_;
  bool has_where_ = false;
};

}  // namespace utxoiq::store
