// Names of put outcomes and the snapshot of the L1 counters; see l1_types.hpp.
#include "cache/l1_types.hpp"

namespace utxoiq::cache {

std::string_view to_string(PutOutcome outcome) {
  switch (outcome) {
    case PutOutcome::stored:
      return "stored";
    case PutOutcome::replaced:
      return "replaced";
    case PutOutcome::rejected_by_admission:
      return "rejected_by_admission";
    case PutOutcome::too_large:
      return "too_large";
    case PutOutcome::zero_ttl:
      return "zero_ttl";
    case PutOutcome::invalidated:
      return "invalidated";
  }
  return "unknown";
}

L1Stats L1Counters::snapshot() const {
  return L1Stats{.hits = hits.load(std::memory_order_relaxed),
                 .misses = misses.load(std::memory_order_relaxed),
                 .evictions = evictions.load(std::memory_order_relaxed),
                 .expirations = expirations.load(std::memory_order_relaxed),
                 .rejections = rejections.load(std::memory_order_relaxed),
                 .invalidations = invalidations.load(std::memory_order_relaxed),
                 .entries = entries.load(std::memory_order_relaxed),
                 .bytes = bytes.load(std::memory_order_relaxed)};
}

}  // namespace utxoiq::cache
