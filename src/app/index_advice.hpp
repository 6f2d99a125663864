#pragma once
// The index advisor for the running service: the statements QueryInsight keeps samples of, and a
// run of ops::advise_indexes on a worker thread of its own (it blocks on its own connection), the
// awaiting request resuming on the event loop.
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "ops/index_advisor.hpp"
#include "util/live_url.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {
class QueryInsight;
}

namespace utxoiq::app {

std::vector<ops::AdvisedStatement> advised_statements(const pg::QueryInsight& insight);

class IndexAdvisorRunner {
 public:
  IndexAdvisorRunner(util::LiveUrl database_url, const pg::QueryInsight& insight);
  ~IndexAdvisorRunner();
  Task<ops::IndexAdvice> advise();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
