#pragma once
// The pool options of the batcher tests: one connection open at start, at most four, so a batch
// and the single writes beside it (a batch that failed, retried item by item) can overlap.
#include <string>
#include <utility>

#include "pg/pool.hpp"

namespace utxoiq::testing {

inline pg::PoolOptions small_pool_options(std::string conninfo) {
  pg::PoolOptions o;
  o.conninfo = std::move(conninfo);
  o.min_size = 1;
  o.max_size = 4;
  return o;
}

}  // namespace utxoiq::testing
