// The failover loop; the rules are in primary_follower.hpp and primary_choice.hpp.
#include "pg/primary_follower.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <optional>

#include "obs/logging.hpp"
#include "pg/host_probe.hpp"
#include "pg/pool.hpp"
#include "pg/primary_choice.hpp"

namespace utxoiq::pg {

struct PrimaryFollower::State {
  State(boost::asio::any_io_executor ex, Pool& p, PrimaryFollowerOptions o)
      : executor(ex), pool(p), options(std::move(o)), timer(ex) {}

  boost::asio::any_io_executor executor;
  Pool& pool;
  PrimaryFollowerOptions options;
  boost::asio::steady_timer timer;
  std::size_t current = 0;
  std::uint32_t followed_timeline = 0;
  std::optional<std::uint64_t> cluster_identifier;
  std::uint64_t failovers = 0;
  std::string last_problem;  // logged once per distinct problem
  bool stopped = false;
};

namespace {

using State = PrimaryFollower::State;

Task<std::vector<HostFacts>> probe_all(State& state) {
  std::vector<HostFacts> facts;
  facts.reserve(state.options.hosts.size());
  for (const auto& conninfo : state.options.hosts) {
    facts.push_back(co_await probe_host(state.executor, conninfo, state.options.probe));
  }
  co_return facts;
}

void follow(State& state, std::size_t chosen, const std::vector<HostFacts>& facts,
            const std::string& why) {
  const std::string from = state.options.names[state.current];
  const std::string to = state.options.names[chosen];
  state.pool.retarget(state.options.hosts[chosen]);
  state.current = chosen;
  ++state.failovers;
  obs::log_warn(
      "following a new primary",
      {{"from", from}, {"to", to}, {"timeline", facts[chosen].timeline}, {"reason", why}});
  if (state.options.on_follow) {
    state.options.on_follow(
        {.from = from, .to = to, .to_conninfo = state.options.hosts[chosen], .why = why});
  }
}

// One look at the hosts; true when the host written to is a healthy primary afterwards.
Task<bool> look_once(State& state) {
  const auto facts = co_await probe_all(state);
  if (state.stopped) co_return false;  // the pool may be closing: never retarget it now
  const HostFacts& current = facts[state.current];
  if (!state.cluster_identifier &&
      accepts_our_writes(current, state.followed_timeline, std::nullopt)) {
    state.cluster_identifier = current.system_identifier;  // the cluster of the configured primary
  }
  const PrimaryChoice choice =
      choose_primary(facts, state.current, state.followed_timeline, state.cluster_identifier);
  if (!choice.follow) {
    if (choice.reason != state.last_problem) {
      const std::string why = current.error ? *current.error : "it does not accept writes";
      obs::log_warn("no primary to follow", {{"current", state.options.names[state.current]},
                                             {"current_problem", why},
                                             {"reason", choice.reason}});
    }
    state.last_problem = choice.reason;
    co_return false;
  }
  state.last_problem.clear();
  if (*choice.follow != state.current) follow(state, *choice.follow, facts, choice.reason);
  state.followed_timeline = std::max(state.followed_timeline, facts[*choice.follow].timeline);
  co_return true;
}

Task<void> follow_loop(std::shared_ptr<State> state) {
  while (!state->stopped) {
    bool healthy = false;
    try {
      healthy = co_await look_once(*state);
    } catch (const std::exception& e) {  // probes report failures as facts; this is a bug
      obs::log_error("primary follower check failed", {{"error", e.what()}});
    }
    if (state->stopped) break;
    state->timer.expires_after(healthy ? state->options.check_interval
                                       : state->options.failing_interval);
    boost::system::error_code ec;
    co_await state->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

}  // namespace

PrimaryFollower::PrimaryFollower(boost::asio::any_io_executor executor, Pool& pool,
                                 PrimaryFollowerOptions options)
    : state_(std::make_shared<State>(executor, pool, std::move(options))) {
  assert(!state_->options.hosts.empty());
  assert(state_->options.names.size() == state_->options.hosts.size());
}

PrimaryFollower::~PrimaryFollower() {
  stop();
}

void PrimaryFollower::start() {
  boost::asio::co_spawn(state_->executor, follow_loop(state_), boost::asio::detached);
}

void PrimaryFollower::stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

std::string PrimaryFollower::current_host() const {
  return state_->options.names[state_->current];
}

std::uint64_t PrimaryFollower::failovers() const {
  return state_->failovers;
}

}  // namespace utxoiq::pg
