#pragma once
// What the feedback handlers need from storage, as small interfaces (api.md, "Feedback"): the
// per-insight statistics, the lists, and the writes. The PostgreSQL repository (pg_feedback.hpp)
// implements all three; the cache in front of FeedbackStatsReader (api/cached_feedback_stats.hpp)
// learns which insights changed from the repository's write listeners.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/cursor.hpp"
#include "domain/feedback.hpp"
#include "domain/feedback_queries.hpp"
#include "domain/feedback_requests.hpp"
#include "store/write_listeners.hpp"
#include "util/task.hpp"

namespace utxoiq::store {

class FeedbackStatsReader {
 public:
  virtual ~FeedbackStatsReader() = default;
  // The statistics of one insight; all zeros (never an error) for one nobody rated.
  virtual Task<domain::FeedbackStats> stats(const std::string& insight_id) = 0;
  // One entry per id, in the order given (repeats repeated).
  virtual Task<std::vector<domain::FeedbackStats>> stats_batch(
      const std::vector<std::string>& insight_ids) = 0;
};

// One keyset page, newest created_at first; `next` is the key of the last record when more follow.
struct FeedbackPage {
  std::vector<domain::Feedback> feedback;
  std::optional<domain::KeysetCursor> next;
};

class FeedbackLister {
 public:
  virtual ~FeedbackLister() = default;
  virtual Task<FeedbackPage> list(const domain::FeedbackFilter& filter) = 0;
  // Records of the insight that have a comment.
  virtual Task<FeedbackPage> comments(const domain::CommentsQuery& query) = 0;
  virtual Task<FeedbackPage> by_user(const domain::UserFeedbackQuery& query) = 0;
};

// A record after a write, and whether the write created it (201) or updated it (200).
struct FeedbackWrite {
  domain::Feedback feedback;
  bool created = false;
};

class FeedbackWriter {
 public:
  virtual ~FeedbackWriter() = default;
  // Each creates the (insight_id, user_id) record or changes only its own fields in it, in one
  // atomic statement.
  virtual Task<FeedbackWrite> rate(const domain::RateFeedback& request) = 0;
  virtual Task<FeedbackWrite> comment(const domain::CommentFeedback& request) = 0;
  virtual Task<FeedbackWrite> flag(const domain::FlagFeedback& request) = 0;
  // Deletes every record of the user; returns how many there were.
  virtual Task<std::int64_t> erase_user(const std::string& user_id) = 0;
};

// Told of every committed write, with the insights whose statistics it changed, each once
// (write_listeners.hpp).
using FeedbackWriteListener = WriteListeners<std::vector<std::string>>::Listener;

}  // namespace utxoiq::store
