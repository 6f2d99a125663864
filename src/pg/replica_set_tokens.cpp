// The ReplicaSet's side of the token feed between instances; see replica_set.hpp and
// token_feed_completeness.hpp. Kept apart from replica_set.cpp: routing and the monitors do not
// depend on it.
#include <cassert>

#include "pg/internal/replica_host.hpp"
#include "pg/replica_set.hpp"

namespace utxoiq::pg {

void ReplicaSet::set_token_publisher(TokenPublisher publish) {
  state_->publish = std::move(publish);
}

void ReplicaSet::learn_token(const std::string& key, Lsn lsn) {
  assert(lsn != kUnknownToken);  // the feed's decoder refuses it
  state_->tokens.learn(key, lsn);
}

void ReplicaSet::token_feed_hearing(bool hearing) {
  state_->token_feed.hearing(hearing, TokenFeedCompleteness::Clock::now());
}

bool ReplicaSet::tokens_complete() const {
  return state_->token_feed.complete(TokenFeedCompleteness::Clock::now());
}

}  // namespace utxoiq::pg
