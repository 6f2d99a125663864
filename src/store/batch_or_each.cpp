// The write batchers' failure rule; see internal/batch_or_each.hpp.
#include "store/internal/batch_or_each.hpp"

#include <exception>
#include <string>

#include "pg/errors.hpp"

namespace utxoiq::store::detail {

namespace {

bool worth_writing_alone(const std::string& sqlstate) {
  return sqlstate.starts_with("22") || sqlstate.starts_with("23") || sqlstate.starts_with("40");
}

}  // namespace

Task<void> write_batch_or_each(const pg::BatchQueue::Batch& batch,
                               std::function<Task<void>()> together,
                               std::function<Task<void>(const BatchItem&)> alone) {
  bool each = false;
  try {
    co_await together();
    co_return;
  } catch (const pg::QueryError& e) {
    each = batch.size() > 1 && worth_writing_alone(e.sqlstate());
    if (!each) {
      for (const auto& item : batch) item->error = std::current_exception();
    }
  } catch (...) {
    for (const auto& item : batch) item->error = std::current_exception();
  }
  if (!each) co_return;
  for (const auto& item : batch) {
    try {
      co_await alone(item);
    } catch (...) {
      item->error = std::current_exception();
    }
  }
}

}  // namespace utxoiq::store::detail
