// IndexAdvisorRunner (see index_advice.hpp).
#include "app/index_advice.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "pg/query_insight.hpp"

namespace utxoiq::app {

namespace {
// The slow statements and this many of the most expensive ones are checked.
constexpr std::size_t kTopStatements = 20;
}  // namespace

std::vector<ops::AdvisedStatement> advised_statements(const pg::QueryInsight& insight) {
  std::vector<ops::AdvisedStatement> out;
  for (auto& sample : insight.advisor_statements(kTopStatements))
    out.push_back({std::move(sample.fingerprint), std::move(sample.sql), std::move(sample.params)});
  return out;
}

struct IndexAdvisorRunner::Impl {
  util::LiveUrl url;
  const pg::QueryInsight& insight;
  boost::asio::thread_pool worker{1};
};

IndexAdvisorRunner::IndexAdvisorRunner(util::LiveUrl database_url, const pg::QueryInsight& insight)
    : impl_(std::make_unique<Impl>(std::move(database_url), insight)) {}

IndexAdvisorRunner::~IndexAdvisorRunner() {
  impl_->worker.join();
}

Task<ops::IndexAdvice> IndexAdvisorRunner::advise() {
  auto statements = advised_statements(impl_->insight);  // on the loop: QueryInsight lives there
  // A named local, not a temporary of the co_await expression (see metrics_maintenance.cpp).
  auto work = [url = impl_->url.get(),
               statements = std::move(statements)]() -> Task<ops::IndexAdvice> {
    pg::BlockingConnection connection(url);
    co_return ops::advise_indexes(connection, statements);
  };
  co_return co_await boost::asio::co_spawn(impl_->worker, std::move(work),
                                           boost::asio::use_awaitable);
}

}  // namespace utxoiq::app
