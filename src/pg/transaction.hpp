#pragma once
// A transaction on one leased connection. The rule: every statement of a store that must be all
// or nothing runs through a Transaction, and a transaction that is not committed is rolled back.
//  - BEGIN costs no round trip of its own: it is sent in front of the first statement (or
//    pipeline) of the transaction, so "[BEGIN, SELECT ... FOR UPDATE]" is one round trip.
//  - commit() can carry the last statements, so "[UPDATE, COMMIT]" is one round trip too.
//  - A Transaction destroyed while still open (an exception, or a path that forgot commit() or
//    rollback()) logs it and gives its connection back, and the pool rolls the connection back
//    before anyone else gets it (pool.hpp, Lease). rollback() does it at once and logs nothing:
//    it is the normal end of a transaction that decides not to write.
// A Transaction lives on the pool's thread, like its Lease; it is move-only.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "pg/pool.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

class Transaction {
 public:
  // Sends nothing: BEGIN goes out with the first statement.
  explicit Transaction(Lease lease);
  // Acquires a connection from `pool` for a new transaction.
  static Task<Transaction> begin(Pool& pool);
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // One statement of the transaction.
  Task<Result> execute(std::string_view sql, Params params = {}, StatementTag tag = {});
  Task<Result> execute(const TaggedSql& statement, Params params = {}) {
    return execute(statement.sql, std::move(params), statement.tag);
  }
  // Statements of the transaction in one round trip; one Result per statement given.
  Task<std::vector<Result>> pipeline(std::span<const Statement> statements);
  // COPY ... FROM STDIN inside the transaction (connection.hpp, copy_in).
  Task<std::int64_t> copy_in(std::string_view copy_sql, std::string_view data,
                             StatementTag tag = {});

  // Runs `last` and COMMIT in one round trip and gives the connection back; returns one Result
  // per statement of `last`. When it throws, the transaction is still open (and so rolled back
  // when destroyed).
  Task<std::vector<Result>> commit(std::vector<Statement> last = {});
  // Ends the transaction without writing anything and gives the connection back.
  Task<void> rollback();

  // True until commit() or rollback() has been called.
  bool open() const { return static_cast<bool>(lease_); }

 private:
  // `statements` behind a BEGIN when the transaction has not begun yet, run in one round trip;
  // the results of `statements` only.
  Task<std::vector<Result>> run(std::vector<Statement> statements);
  Lease& lease();

  Lease lease_;
  bool begun_ = false;
};

}  // namespace utxoiq::pg
