#pragma once
// Every statement a store runs carries a tag saying which store and which method wrote it and
// whether it only reads. The tag travels with the statement to the pool's observer (latency per
// store method, a bounded label set) and lets a router send reads elsewhere. `read` means a plain
// SELECT: no row locks, no writing CTE, no function with side effects (a test parses every
// declared read). A read whose answer decides a write is marked critical by its caller at run
// time, not here.
#include <string_view>

namespace utxoiq::pg {

enum class StatementAccess { read, write };

struct StatementTag {
  std::string_view store;   // empty: untagged (statements of pg/ itself, BEGIN, COMMIT, ...)
  std::string_view method;  // the store method that runs it
  StatementAccess access = StatementAccess::write;
};

// One entry of a store's statement table: the tag and the SQL the call site runs (for SQL built
// at run time, its fixed beginning; the builder only appends WHERE, ORDER BY and LIMIT).
struct TaggedSql {
  StatementTag tag;
  std::string_view sql;
};

}  // namespace utxoiq::pg
