// Heavy requests (a batch ingest, a page above 1,000 items) of one key: two at a time, a third
// gets 429 while they run, another key or a light request is not affected, and the slots come
// back when the requests end (also when they end with an error).
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "api/heavy_request_limit.hpp"
#include "http/router.hpp"

namespace utxoiq::api {
namespace {

namespace asio = boost::asio;

class HeavyRequestLimit : public ::testing::Test {
 protected:
  // Starts a request of `key` to `target` on route `name`; its handler waits until release().
  void start(const std::string& key, const std::string& name, const std::string& target) {
    requests_.push_back(
        std::make_unique<http::Request>(http::make_request(http::Method::get, target)));
    http::Request& request = *requests_.back();
    request.route_name = names_.emplace_back(std::make_unique<std::string>(name))->c_str();
    request.principal = http::Principal{key, http::Role::writer};
    asio::co_spawn(io_, middleware_(request, next_),
                   [this](std::exception_ptr error, http::Response response) {
                     statuses_.push_back(error ? status_of(error) : response.status);
                   });
    io_.poll();
  }
  static int status_of(std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const http::Problem& problem) {
      return problem.status();
    } catch (...) {
      return -1;
    }
  }
  void release() {
    gate_.cancel();
    io_.poll();
  }
  std::vector<int> refused() const {
    std::vector<int> out;
    for (const int status : statuses_) {
      if (status == 429) out.push_back(status);
    }
    return out;
  }

  asio::io_context io_;
  asio::steady_timer gate_{io_, asio::steady_timer::time_point::max()};
  http::Middleware middleware_ = heavy_request_limit({.heavy_routes = {"metrics_batch"}});
  http::Next next_ = [this](http::Request&) -> Task<http::Response> {
    co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return http::empty_response(204);
  };
  std::vector<std::unique_ptr<http::Request>> requests_;
  std::vector<std::unique_ptr<std::string>> names_;
  std::vector<int> statuses_;
};

TEST_F(HeavyRequestLimit, AThirdHeavyRequestOfOneKeyIs429WhileTwoRun) {
  start("k1", "metrics_batch", "/batch");
  start("k1", "metrics_range", "/m?limit=5000");
  EXPECT_TRUE(statuses_.empty());  // both running
  start("k1", "metrics_batch", "/batch");
  EXPECT_EQ(refused().size(), 1u);              // answered at once
  start("k2", "metrics_batch", "/batch");       // another key
  start("k1", "metrics_range", "/m?limit=10");  // a light request of the same key
  EXPECT_EQ(statuses_.size(), 1u);
  release();
  EXPECT_EQ(statuses_.size(), 5u);
  EXPECT_EQ(refused().size(), 1u);
}

TEST_F(HeavyRequestLimit, SlotsComeBackWhenRequestsEnd) {
  start("k1", "metrics_batch", "/batch");
  start("k1", "metrics_batch", "/batch");
  release();
  gate_.expires_at(asio::steady_timer::time_point::max());
  start("k1", "metrics_batch", "/batch");
  start("k1", "metrics_batch", "/batch");
  EXPECT_EQ(statuses_.size(), 2u);  // the first two ended; the next two run
  release();
  EXPECT_TRUE(refused().empty());
}

}  // namespace
}  // namespace utxoiq::api
