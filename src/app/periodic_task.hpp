#pragma once
// Background work on the service's event loop at a fixed interval (the API key refresh and the
// last_used_at flush): run, wait `interval`, run again, until stop(). A failing run is logged
// (once when it starts failing, once when it recovers, so an outage does not flood the log) and
// the next one is tried as usual.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "util/task.hpp"

namespace utxoiq::app {

class PeriodicTask {
 public:
  PeriodicTask(boost::asio::any_io_executor executor, std::string name,
               std::chrono::milliseconds interval, std::function<Task<void>()> work);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Starts the loop; the first run is after one interval (the caller did the initial one).
  void start();
  // Ends the loop and returns once a run in progress has finished.
  Task<void> stop();

  struct State;  // opaque; public only so the loop in the .cpp can name it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace utxoiq::app
