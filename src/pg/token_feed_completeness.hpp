#pragma once
// Whether this instance knows every read-your-writes token that can still matter (issue 12,
// api.md "Precise rules"), i.e. whether the router may rely on the tokens (host_router.hpp,
// StatementRequest::tokens_complete) or must use blind mode.
//
// Instances share their tokens through a Redis pub/sub feed (app/ryw_token_feed.hpp). A token
// published while this instance was not hearing the feed (Redis down, the subscription lost or
// not yet confirmed, the instance just started) never reaches it. Such a token belongs to a write
// committed before the feed was heard again. A replica the router uses has lag <= max_lag at a
// poll that is at most one poll interval (plus the poll's own duration) old, so it has replayed
// every commit older than max_lag + that age. Hence the rule: tokens are complete only while the
// feed is heard AND has been heard without a break for at least
//     required = max_lag + 2 * lag poll interval
// (one interval for the sample's age, one more as room for the poll's own duration); by then every
// lost token is replayed by every replica within the lag limit and no longer matters.
//
// Pure: the caller passes the time (the service passes steady_clock::now()).
#include <chrono>
#include <optional>

namespace utxoiq::pg {

class TokenFeedCompleteness {
 public:
  using Clock = std::chrono::steady_clock;

  // `required`: the unbroken hearing after which tokens are complete (>= 0).
  explicit TokenFeedCompleteness(Clock::duration required);

  // The rule's `required` for a lag limit and a lag poll interval.
  static Clock::duration required_for(double max_lag_s, Clock::duration lag_poll_interval);

  // The feed's subscription was confirmed (true) or lost (false) at `now`. Repeating the current
  // state changes nothing: a second "true" does not restart the hearing.
  void hearing(bool heard, Clock::time_point now);

  bool complete(Clock::time_point now) const;
  bool heard() const { return since_.has_value(); }
  Clock::duration required() const { return required_; }

 private:
  Clock::duration required_;
  std::optional<Clock::time_point> since_;  // start of the current unbroken hearing
};

}  // namespace utxoiq::pg
