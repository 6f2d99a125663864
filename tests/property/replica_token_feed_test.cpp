// Properties of the token feed's completeness rule (pg/token_feed_completeness.hpp), over random
// histories of the feed being heard and lost:
//  - safety: whenever the tokens are complete, every token that could have been lost (published
//    at a moment the feed was not heard) is at least `required` old, so every replica within the
//    lag limit has replayed it;
//  - liveness: after `required` of unbroken hearing the tokens are complete, and they stay so while
//    the feed is heard;
//  - complete only while heard.
// And of the token merge (pg/ryw_tokens.hpp): whatever order own and learned tokens arrive in, a
// key's token is the largest one, and it never moves back.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "pg/ryw_tokens.hpp"
#include "pg/token_feed_completeness.hpp"

namespace utxoiq::pg {
namespace {

using Clock = TokenFeedCompleteness::Clock;
using std::chrono::milliseconds;

struct Step {
  milliseconds advance;  // time passing before the step
  bool heard;            // the feed's state reported at the step
};

rc::Gen<std::vector<Step>> gen_history() {
  const auto step = rc::gen::construct<Step>(
      rc::gen::map(rc::gen::inRange(0, 12'000), [](int ms) { return milliseconds{ms}; }),
      rc::gen::arbitrary<bool>());
  return rc::gen::container<std::vector<Step>>(step);
}

milliseconds gen_required() {
  return milliseconds{*rc::gen::inRange(0, 10'000)};
}

// Replays the history, calling `check(now, feed, heard, heard_since, last_unheard)` after each
// step and at moments inside each gap. The feed is not heard before the first step; `last_unheard`
// is the last moment it was not heard (a token published then was lost to this instance).
template <typename Check>
void replay(const std::vector<Step>& history, milliseconds required, Check check) {
  TokenFeedCompleteness feed(required);
  Clock::time_point now{milliseconds{1'000'000}};
  bool heard = false;
  Clock::time_point last_unheard = now;  // not heard from the start
  std::optional<Clock::time_point> heard_since;
  for (const auto& step : history) {
    for (int part = 1; part <= 4; ++part) {  // moments inside the gap, the state unchanged
      const auto at = now + step.advance * part / 4;
      if (!heard) last_unheard = at;
      check(at, feed, heard, heard_since, last_unheard);
    }
    now += step.advance;
    if (!step.heard) last_unheard = now;
    if (step.heard && !heard) heard_since = now;
    if (!step.heard) heard_since.reset();
    heard = step.heard;
    feed.hearing(step.heard, now);
    check(now, feed, heard, heard_since, last_unheard);
  }
}

RC_GTEST_PROP(TokenFeedCompleteness, CompleteOnlyWhenEveryLostTokenIsOldEnough, ()) {
  const auto required = gen_required();
  replay(*gen_history(), required,
         [&](Clock::time_point now, const TokenFeedCompleteness& feed, bool,
             const std::optional<Clock::time_point>&, Clock::time_point last_unheard) {
           if (feed.complete(now)) RC_ASSERT(now - last_unheard >= required);
         });
}

RC_GTEST_PROP(TokenFeedCompleteness, CompleteAfterTheRequiredUnbrokenHearing, ()) {
  const auto required = gen_required();
  replay(*gen_history(), required,
         [&](Clock::time_point now, const TokenFeedCompleteness& feed, bool heard,
             const std::optional<Clock::time_point>& since, Clock::time_point) {
           RC_ASSERT(heard == since.has_value());
           const bool expected = heard && now - *since >= required;
           RC_ASSERT(feed.complete(now) == expected);
           RC_ASSERT(feed.heard() == heard);
         });
}

RC_GTEST_PROP(TokenFeedCompleteness, NeverCompleteWhileNotHeard, ()) {
  replay(*gen_history(), gen_required(),
         [&](Clock::time_point now, const TokenFeedCompleteness& feed, bool heard,
             const std::optional<Clock::time_point>&, Clock::time_point) {
           if (!heard) RC_ASSERT(!feed.complete(now));
         });
}

struct TokenEvent {
  int key;
  bool own;  // recorded by this instance, else learned from the feed
  std::uint64_t lsn;
};

RC_GTEST_PROP(RywTokens, AKeysTokenIsTheLargestInAnyOrderAndNeverMovesBack, ()) {
  const auto events = *rc::gen::container<std::vector<TokenEvent>>(
      rc::gen::construct<TokenEvent>(rc::gen::inRange(0, 4), rc::gen::arbitrary<bool>(),
                                     rc::gen::inRange<std::uint64_t>(0, 1'000'000)));
  RywTokens tokens;
  std::map<int, std::uint64_t> largest;
  for (const auto& e : events) {
    const std::string key = "key-" + std::to_string(e.key);
    const auto before = tokens.token(key);
    if (e.own) {
      tokens.record(key, Lsn{e.lsn});
    } else {
      tokens.learn(key, Lsn{e.lsn});
    }
    largest[e.key] = std::max(largest[e.key], e.lsn);
    RC_ASSERT(tokens.token(key) == Lsn{largest[e.key]});
    if (before) RC_ASSERT(*tokens.token(key) >= *before);
  }
  RC_ASSERT(tokens.size() == largest.size());
}

}  // namespace
}  // namespace utxoiq::pg
