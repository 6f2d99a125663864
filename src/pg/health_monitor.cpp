#include "pg/health_monitor.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "obs/logging.hpp"
#include "pg/pool.hpp"

namespace utxoiq::pg {

struct HealthMonitor::State {
  State(boost::asio::any_io_executor ex, Pool& p, std::chrono::milliseconds every)
      : executor(ex), pool(p), interval(every), timer(ex) {}
  boost::asio::any_io_executor executor;
  Pool& pool;
  std::chrono::milliseconds interval;
  boost::asio::steady_timer timer;
  std::atomic<bool> up{true};
  std::atomic<int> failures{0};
  bool stopped = false;
};

namespace {

Task<void> check_loop(std::shared_ptr<HealthMonitor::State> state) {
  while (!state->stopped) {
    state->timer.expires_after(state->interval);
    boost::system::error_code ec;
    co_await state->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (state->stopped) break;
    bool ok = false;
    try {
      co_await state->pool.execute("SELECT 1");
      ok = true;
    } catch (const std::exception& e) {
      if (state->failures == 0) {
        obs::log_warn("database health check failed",
                      {{"pool", state->pool.options().name}, {"error", e.what()}});
      }
    }
    if (ok && !state->up) {
      obs::log_info("database answers again", {{"pool", state->pool.options().name}});
    }
    state->failures = ok ? 0 : state->failures + 1;
    state->up = ok;
  }
}

}  // namespace

HealthMonitor::HealthMonitor(boost::asio::any_io_executor executor, Pool& pool,
                             std::chrono::milliseconds interval)
    : state_(std::make_shared<State>(executor, pool, interval)) {}

HealthMonitor::~HealthMonitor() {
  stop();
}

void HealthMonitor::start() {
  boost::asio::co_spawn(state_->executor, check_loop(state_), boost::asio::detached);
}

void HealthMonitor::stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

bool HealthMonitor::up() const {
  return state_->up;
}
int HealthMonitor::failures() const {
  return state_->failures;
}

}  // namespace utxoiq::pg
