// pg::Transaction (see transaction.hpp): BEGIN rides with the first round trip, COMMIT with the
// last one.
#include "pg/transaction.hpp"

#include <cassert>
#include <exception>
#include <iterator>
#include <utility>

#include "obs/logging.hpp"

namespace utxoiq::pg {

namespace {

constexpr std::string_view kBegin = "BEGIN";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

Transaction::Transaction(Lease lease) : lease_(std::move(lease)) {
  assert(lease_ && "a transaction needs a connection");
}

Task<Transaction> Transaction::begin(Pool& pool) {
  co_return Transaction(co_await pool.acquire());
}

Transaction::Transaction(Transaction&& other) noexcept
    : lease_(std::move(other.lease_)), begun_(std::exchange(other.begun_, false)) {}

Transaction::~Transaction() {
  if (!lease_ || !begun_) return;
  // Unwinding: the exception says why, and whoever catches it reports it. Otherwise a path of
  // the caller ended neither way, which is a bug worth a warning.
  if (std::uncaught_exceptions() > 0) {
    obs::log_debug("pg transaction ended by an exception; rolled back");
  } else {
    obs::log_warn("pg transaction abandoned without commit or rollback; rolled back");
  }
  // The pool rolls back a connection returned inside a transaction before reusing it.
  lease_.release();
}

Lease& Transaction::lease() {
  assert(lease_ && "the transaction is over (commit() or rollback() was called)");
  return lease_;
}

Task<std::vector<Result>> Transaction::run(std::vector<Statement> statements) {
  const bool opening = !begun_;
  if (opening) statements.insert(statements.begin(), Statement{std::string(kBegin), {}});
  std::vector<Result> results = co_await lease()->pipeline(statements);
  begun_ = true;
  if (opening) results.erase(results.begin());
  co_return results;
}

Task<Result> Transaction::execute(std::string_view sql, Params params, StatementTag tag) {
  if (begun_) co_return co_await lease()->execute(sql, std::move(params), tag);
  std::vector<Statement> one;
  one.push_back(Statement{std::string(sql), std::move(params), tag});
  std::vector<Result> results = co_await run(std::move(one));
  co_return std::move(results.front());
}

Task<std::vector<Result>> Transaction::pipeline(std::span<const Statement> statements) {
  co_return co_await run(std::vector<Statement>(statements.begin(), statements.end()));
}

Task<std::int64_t> Transaction::copy_in(std::string_view copy_sql, std::string_view data,
                                        StatementTag tag) {
  // COPY cannot share a pipeline: BEGIN goes first on its own.
  if (!begun_) {
    co_await lease()->execute(kBegin);
    begun_ = true;
  }
  co_return co_await lease()->copy_in(copy_sql, data, tag);
}

Task<std::vector<Result>> Transaction::commit(std::vector<Statement> last) {
  std::vector<Result> results;
  if (!begun_ && last.empty()) {
    lease().release();  // nothing was sent: nothing to commit
    co_return results;
  }
  last.push_back(Statement{std::string(kCommit), {}});
  results = co_await run(std::move(last));
  results.pop_back();
  lease_.release();
  co_return results;
}

Task<void> Transaction::rollback() {
  if (begun_) co_await lease()->execute(kRollback);
  lease().release();
}

}  // namespace utxoiq::pg
