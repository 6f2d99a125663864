// See keyset_page.hpp.
#include "store/internal/keyset_page.hpp"

#include <string>

#include "pg/params.hpp"
#include "store/internal/sql_values.hpp"

namespace utxoiq::store {

void add_keyset_page(QueryBuilder& q, const KeysetOrder& order, const domain::PageRequest& page) {
  const std::string column(order.time_column);
  if (page.after) {
    assert(page.after->kind == order.cursor_kind && "the parser checks the cursor's kind");
    const std::string at = q.bind(sql_time(page.after->at));
    const std::string id = q.bind(sql_uuid(page.after->id));
    const char* op = order.newest_first ? " < " : " > ";
    q.where("(" + column + ", id)" + op + "(" + at + "::timestamptz, " + id + "::uuid)");
  }
  const char* direction = order.newest_first ? " DESC" : "";
  q.append(" ORDER BY " + column + direction + ", id" + direction + " LIMIT " +
           q.bind(pg::to_param(page.limit + 1)));
}

}  // namespace utxoiq::store
