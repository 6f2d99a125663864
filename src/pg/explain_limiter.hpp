#pragma once
// Rule: a slow statement is EXPLAINed at most once per fingerprint per interval (issue 11). An
// EXPLAIN is a round trip and a planning on the primary; a statement that is slow on every call
// would otherwise be explained on every call, and the plan of one minute ago says the same.
// Pure (the caller passes the time), so the rule is tested without a server or a real clock.
// Bounded: at most `capacity` fingerprints are remembered. When a new one finds the memory full,
// the entries whose interval has passed are forgotten (they would be allowed again anyway); if
// none has, the new fingerprint is refused this time. So the limit holds for every fingerprint,
// whatever their number, and the memory never grows past the bound.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace utxoiq::pg {

class ExplainLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  ExplainLimiter(std::chrono::nanoseconds interval, std::size_t capacity);

  // Whether a slow run of `fingerprint` at `now` may be explained; when it may, `now` is
  // remembered as its last explanation. `now` never goes back between calls.
  bool allow(std::uint64_t fingerprint, TimePoint now);
  std::size_t size() const { return last_.size(); }

 private:
  void forget_passed(TimePoint now);

  std::chrono::nanoseconds interval_;
  std::size_t capacity_;
  std::unordered_map<std::uint64_t, TimePoint> last_;  // fingerprint -> last explained
};

}  // namespace utxoiq::pg
