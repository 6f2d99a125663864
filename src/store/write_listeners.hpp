#pragma once
// How every repository tells the layers above of its committed writes (the one mechanism, used
// for cache invalidation): a list of listeners, each awaited in the order added, after the
// commit and before the write returns, so a read after the write's answer finds no cached value
// from before it. Listeners run on the event loop thread. A listener that throws is logged and
// the others still run: the write is committed, and its answer must not become an error.
//
//   WriteListeners<std::vector<domain::BackfillJob>> listeners_;  // in the repository
//   repository.add_write_listener(cached.invalidator());           // at wiring
//   co_await listeners_.notify(changed_jobs);                       // after the commit
#include <exception>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "util/task.hpp"

namespace utxoiq::store {

// Logs a listener's failure (the current exception) with what was written.
void report_write_listener_failure(std::string_view what, std::exception_ptr failure);

template <typename Change>
class WriteListeners {
 public:
  using Listener = std::function<Task<void>(Change)>;

  // `what` names the writes in the log line of a failing listener, e.g. "backfill job".
  explicit WriteListeners(std::string_view what) : what_(what) {}

  void add(Listener listener) { listeners_.push_back(std::move(listener)); }

  Task<void> notify(Change change) const {
    for (const auto& listener : listeners_) {
      std::exception_ptr failure;
      try {
        co_await listener(change);
      } catch (...) {
        failure = std::current_exception();
      }
      if (failure) report_write_listener_failure(what_, failure);
    }
  }

 private:
  std::string_view what_;
  std::vector<Listener> listeners_;
};

}  // namespace utxoiq::store
