// See query_builder.hpp.
#include "store/internal/query_builder.hpp"

namespace utxoiq::store {

std::string QueryBuilder::bind(pg::Param value) {
  params_.push_back(std::move(value));
  return "$" + std::to_string(params_.size());
}

void QueryBuilder::where(std::string_view condition) {
  sql_ += has_where_ ? " AND " : " WHERE ";
  sql_ += condition;
  has_where_ = true;
}

}  // namespace utxoiq::store
