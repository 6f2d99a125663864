// Pool bookkeeping; see pool_accounting.hpp.
#include "pg/internal/pool_accounting.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <stdexcept>

namespace utxoiq::pg {

namespace {

// A violated precondition is a bug in the pool, not a runtime condition: fail loudly.
void require(bool condition, const char* what) {
  if (!condition) throw std::logic_error(std::string("PoolAccounting: ") + what);
}

}  // namespace

PoolAccounting::PoolAccounting(std::size_t min_size, std::size_t max_size)
    : min_(min_size), max_(max_size) {
  if (max_size == 0) throw std::invalid_argument("pool max_size must be at least 1");
  if (min_size > max_size) throw std::invalid_argument("pool min_size must not exceed max_size");
}

bool PoolAccounting::try_take_idle() {
  if (idle_ == 0 || waiting_ > 0) return false;
  --idle_;
  ++active_;
  assert(invariants_hold());
  return true;
}

void PoolAccounting::drop_taken() {
  require(active_ > 0, "drop_taken without an active connection");
  --active_;
}

void PoolAccounting::add_waiter() {
  require(idle_ == 0, "add_waiter while a connection is idle (try_take_idle first)");
  ++waiting_;
  assert(invariants_hold());
}

void PoolAccounting::remove_waiter() {
  require(waiting_ > 0, "remove_waiter without a waiter");
  --waiting_;
}

std::size_t PoolAccounting::plan_opens() {
  const std::size_t uncovered_waiters = waiting_ > opening_ ? waiting_ - opening_ : 0;
  const std::size_t below_min = min_ > size() ? min_ - size() : 0;
  const std::size_t room = max_ - size();
  const std::size_t count = std::min(std::max(uncovered_waiters, below_min), room);
  opening_ += count;
  assert(invariants_hold());
  return count;
}

PoolAccounting::Placement PoolAccounting::open_succeeded() {
  require(opening_ > 0, "open_succeeded without an open in progress");
  --opening_;
  if (waiting_ > 0) {
    --waiting_;
    ++active_;
    assert(invariants_hold());
    return Placement::kToWaiter;
  }
  ++idle_;
  assert(invariants_hold());
  return Placement::kToIdle;
}

void PoolAccounting::open_failed() {
  require(opening_ > 0, "open_failed without an open in progress");
  --opening_;
}

PoolAccounting::Release PoolAccounting::release(bool reusable) {
  require(active_ > 0, "release without an active connection");
  if (!reusable) {
    --active_;
    return Release::kDropped;
  }
  if (waiting_ > 0) {
    --waiting_;
    return Release::kToWaiter;
  }
  --active_;
  ++idle_;
  assert(invariants_hold());
  return Release::kToIdle;
}

void PoolAccounting::drop_idle(std::size_t count) {
  require(count <= idle_, "drop_idle of more connections than are idle");
  idle_ -= count;
}

std::vector<std::size_t> PoolAccounting::idle_to_close(
    std::span<const Clock::time_point> idle_since, Clock::time_point now,
    Clock::duration idle_timeout) const {
  std::vector<std::size_t> expired;
  for (std::size_t i = 0; i < idle_since.size(); ++i)
    if (now - idle_since[i] > idle_timeout) expired.push_back(i);
  // Oldest first; ties keep their order so the result is deterministic.
  std::stable_sort(expired.begin(), expired.end(),
                   [&](std::size_t a, std::size_t b) { return idle_since[a] < idle_since[b]; });
  // Connections being opened do not count towards min_size: they may still fail.
  const std::size_t open = idle_ + active_;
  const std::size_t closable = open > min_ ? open - min_ : 0;
  if (expired.size() > closable) expired.resize(closable);
  return expired;
}

}  // namespace utxoiq::pg
