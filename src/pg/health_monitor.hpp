#pragma once
// Watches whether a database host answers: a `SELECT 1` through its pool every interval. /readyz
// reads the last answer instead of querying, so readiness costs no round trip and a hanging server
// cannot hang the probe. A host that stops answering is seen as down within interval + the pool's
// timeouts; one that comes back is seen as up at the next check.
#include <atomic>
#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

namespace utxoiq::pg {

class Pool;

class HealthMonitor {
 public:
  // `pool` must outlive the monitor. Starts reporting "up" (the pool was started successfully).
  HealthMonitor(boost::asio::any_io_executor executor, Pool& pool,
                std::chrono::milliseconds interval = std::chrono::seconds{2});
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  void start();
  void stop();  // on the io thread; the check in flight finishes on its own
  bool up() const;
  // Consecutive failed checks (0 while up).
  int failures() const;

  struct State;  // shared with the check loop, which may outlive a stop() by one check

 private:
  std::shared_ptr<State> state_;
};

}  // namespace utxoiq::pg
