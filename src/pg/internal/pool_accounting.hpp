#pragma once
// The pool's bookkeeping without any I/O: how many connections are idle, leased (active), being
// opened, and how many acquirers wait; what to do with a returned or newly opened connection; how
// many to open; which idle ones to close. Pool executes these decisions; keeping them here lets
// the bounds be property-tested (tests/property/pool_*_test.cpp) without a server.
//
// Invariants kept by every method, asserted after each change (invariants_hold()):
//  - size() = idle + active + opening <= max_size: the pool never holds more than max_size;
//  - waiting > 0 only while no connection is idle: a free connection always goes to the first
//    waiter, so nobody waits while one sits unused.
#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

namespace utxoiq::pg {

class PoolAccounting {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument unless 0 < max_size and min_size <= max_size.
  PoolAccounting(std::size_t min_size, std::size_t max_size);

  std::size_t idle() const { return idle_; }
  std::size_t active() const { return active_; }
  std::size_t opening() const { return opening_; }
  std::size_t waiting() const { return waiting_; }
  std::size_t size() const { return idle_ + active_ + opening_; }
  std::size_t min_size() const { return min_; }
  std::size_t max_size() const { return max_; }
  // The invariants above (also checked by tests/property/pool_bounds_test.cpp).
  bool invariants_hold() const { return size() <= max_ && (waiting_ == 0 || idle_ == 0); }

  // An acquirer takes an idle connection (idle -> active). False when none is idle or when others
  // are already waiting (first come, first served): the acquirer must wait.
  bool try_take_idle();
  // A connection taken with try_take_idle() turned out dead before use (active -> gone).
  void drop_taken();

  // An acquirer found no idle connection (try_take_idle() was false) and waits.
  void add_waiter();
  void remove_waiter();  // gave up: timeout, cancellation, pool closing

  // Marks and returns how many connections to open now: one for every waiter not already
  // covered by a connection being opened, and enough to reach min_size; never past max_size.
  std::size_t plan_opens();

  enum class Placement { kToWaiter, kToIdle };
  // A connection finished opening (opening -> active for the first waiter, or -> idle).
  Placement open_succeeded();
  // Opening failed or was abandoned (opening -> gone).
  void open_failed();

  enum class Release { kToWaiter, kToIdle, kDropped };
  // A lease came back. Reusable: straight to the first waiter (stays active) or idle.
  // Not reusable (broken): dropped; call plan_opens() afterwards to replace it if needed.
  Release release(bool reusable);

  // Idle connections closed (idle timeout, found dead, pool closing).
  void drop_idle(std::size_t count = 1);

  // Which idle connections to close: those idle strictly longer than idle_timeout, oldest first,
  // but never so many that the open connections (idle + active) fall below min_size.
  // `idle_since[i]` is when idle connection i was returned; the result holds indexes into it.
  std::vector<std::size_t> idle_to_close(std::span<const Clock::time_point> idle_since,
                                         Clock::time_point now, Clock::duration idle_timeout) const;

 private:
  std::size_t min_;
  std::size_t max_;
  std::size_t idle_ = 0;
  std::size_t active_ = 0;
  std::size_t opening_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace utxoiq::pg
