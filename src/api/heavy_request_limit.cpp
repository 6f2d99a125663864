// See heavy_request_limit.hpp.
#include "api/heavy_request_limit.hpp"

#include <cassert>
#include <charconv>
#include <memory>

namespace utxoiq::api {
namespace {

struct State {
  HeavyRequestLimits limits;
  std::unordered_map<std::string, std::size_t> in_flight;  // key id -> heavy requests running
};

bool is_heavy(const State& state, const http::Request& request) {
  if (state.limits.heavy_routes.contains(std::string(request.route_name))) return true;
  const auto limit = request.query("limit");
  if (!limit) return false;
  long long value = 0;
  const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
  return error == std::errc() && value > state.limits.large_page;
}

// Counts one heavy request of a key for as long as it lives.
class Slot {
 public:
  Slot(State& state, std::string key) : state_(state), key_(std::move(key)) {
    ++state_.in_flight[key_];
  }
  ~Slot() {
    const auto it = state_.in_flight.find(key_);
    assert(it != state_.in_flight.end() && it->second > 0);
    if (--it->second == 0) state_.in_flight.erase(it);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  State& state_;
  std::string key_;
};

}  // namespace

http::Middleware heavy_request_limit(HeavyRequestLimits limits) {
  assert(limits.per_key >= 1);
  auto state = std::make_shared<State>(State{std::move(limits), {}});
  return [state](http::Request& request, const http::Next& next) -> Task<http::Response> {
    if (!request.principal || !is_heavy(*state, request)) co_return co_await next(request);
    const std::string& key = request.principal->key_id;
    const auto running = state->in_flight.find(key);
    if (running != state->in_flight.end() && running->second >= state->limits.per_key) {
      throw http::too_many_requests(
          1, "Too many large requests of this API key at once; retry after Retry-After seconds.");
    }
    Slot slot(*state, key);
    co_return co_await next(request);
  };
}

}  // namespace utxoiq::api
