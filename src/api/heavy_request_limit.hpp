#pragma once
// At most `per_key` heavy requests of one API key in flight at a time; one more gets 429 with
// Retry-After: 1. Heavy: a batch ingest (up to 16 MiB of JSON), or a listing asking for more than
// `large_page` items. The rate limits count requests, not their cost: without this, one writer
// key could keep the single event loop busy parsing and copying with a few concurrent batches.
// Per instance, on the event loop's thread; runs after the auth middleware (it needs the key).
#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "http/middleware.hpp"

namespace utxoiq::api {

struct HeavyRequestLimits {
  std::size_t per_key = 2;
  long long large_page = 1'000;                  // a `limit` query parameter above this is heavy
  std::unordered_set<std::string> heavy_routes;  // route names always heavy ("metrics_batch")
};

// The middleware; it keeps its counts in a state shared by its copies.
http::Middleware heavy_request_limit(HeavyRequestLimits limits);

}  // namespace utxoiq::api
