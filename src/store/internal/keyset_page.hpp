#pragma once
// Keyset paging, the one way every listing pages (api.md, "Conventions"): rows are ordered by
// (time column, id) and a page starts strictly after the (time, id) of the previous page's last
// row, so rows inserted between two fetches never cause duplicates or gaps, and the condition is
// a row comparison that the (time, id) index serves directly. One row more than the limit is
// fetched: whether it comes tells whether another page follows. The one list without a time
// column, the series catalogue, pages the same way on its key (service_name, metric_type) with a
// domain::SeriesCursor (PgMetricReader::series).
//
//   QueryBuilder q("SELECT ... FROM backfill_jobs");
//   if (status) q.where("status = " + q.bind(*status));
//   add_keyset_page(q, kJobsKeyset, query.page);
//   page.jobs = take_page(co_await pool.execute(q.sql(), q.params()), query.page, kJobsKeyset,
//                         job_from_row, &page.next);
#include <algorithm>
#include <cassert>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/cursor.hpp"
#include "domain/page.hpp"
#include "pg/result.hpp"
#include "store/internal/query_builder.hpp"

namespace utxoiq::store {

struct KeysetOrder {
  std::string_view time_column;  // SQL name of the timestamptz column; the tie-break is `id`
  bool newest_first = true;      // DESC (lists of records) or ASC (a time range)
  domain::CursorKind cursor_kind = domain::CursorKind::backfill_jobs;
};

// Adds the keyset condition (when the page has a cursor), the ORDER BY and the LIMIT.
void add_keyset_page(QueryBuilder& q, const KeysetOrder& order, const domain::PageRequest& page);

// The rows of one page, decoded by `decode(result, row)`; *next is set to the key of the last
// row when another page follows. `key_of(row)` gives the (time, id) of a decoded row.
template <typename Row, typename Decode, typename KeyOf>
std::vector<Row> take_page(const pg::Result& result, const domain::PageRequest& page,
                           const KeysetOrder& order, Decode decode, KeyOf key_of,
                           std::optional<domain::KeysetCursor>* next) {
  assert(page.limit > 0 && next != nullptr);
  const int rows = result.rows();
  assert(rows <= page.limit + 1 && "the query asks for one row more than the page at most");
  const int shown = static_cast<int>(std::min<std::int64_t>(rows, page.limit));
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(shown));
  for (int row = 0; row < shown; ++row) out.push_back(decode(result, row));
  if (rows > shown && !out.empty()) {
    const auto [at, id] = key_of(out.back());
    *next = domain::KeysetCursor{order.cursor_kind, at, id};
  }
  return out;
}

}  // namespace utxoiq::store
