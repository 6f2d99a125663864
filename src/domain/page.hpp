#pragma once
// The paging parameters every list endpoint shares: `limit` (default 50, at most 500 unless the
// endpoint says otherwise) and an opaque `cursor` (api.md, "Conventions").
#include <cstdint>
#include <optional>

#include "domain/cursor.hpp"
#include "domain/query_fields.hpp"
#include "domain/validated.hpp"

namespace utxoiq::domain {

inline constexpr std::int64_t kDefaultPageLimit = 50;
inline constexpr std::int64_t kMaxPageLimit = 500;

struct PageRequest {
  std::int64_t limit = kDefaultPageLimit;
  std::optional<KeysetCursor> after;  // the sort key of the last row of the previous page
};

// Reads `limit` (1..max_limit) and `cursor` of `kind`, recording errors in `fields`.
PageRequest read_page(QueryFields& fields, CursorKind kind,
                      std::int64_t default_limit = kDefaultPageLimit,
                      std::int64_t max_limit = kMaxPageLimit);

// For lists with no parameters besides paging (e.g. /monitoring/retention/runs).
Validated<PageRequest> parse_page(const QueryParams& params, CursorKind kind,
                                  std::int64_t default_limit = kDefaultPageLimit,
                                  std::int64_t max_limit = kMaxPageLimit);

}  // namespace utxoiq::domain
