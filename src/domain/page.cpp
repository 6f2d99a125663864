// Paging parameters shared by every list endpoint.
#include "domain/page.hpp"

namespace utxoiq::domain {

PageRequest read_page(QueryFields& fields, CursorKind kind, std::int64_t default_limit,
                      std::int64_t max_limit) {
  PageRequest page;
  page.limit = fields.integer("limit", Presence::optional, 1, max_limit).value_or(default_limit);
  page.after = fields.cursor("cursor", kind);
  return page;
}

Validated<PageRequest> parse_page(const QueryParams& params, CursorKind kind,
                                  std::int64_t default_limit, std::int64_t max_limit) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  PageRequest page = read_page(fields, kind, default_limit, max_limit);
  if (!errors.empty()) return errors;
  return page;
}

}  // namespace utxoiq::domain
