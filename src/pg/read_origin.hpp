#pragma once
// Whom a read is for, as far as the replica router cares (pg/host_router.hpp): the reading API
// key (its read-your-writes token), whether its request lets reads go to a replica (a GET that
// is not critical) and whether they are critical (primary). A read normally takes its origin from
// the request running it (obs::current_request()); a batch that gathers the reads of several
// requests (store/feedback_stats_batcher.hpp) runs outside any request, so it captures each
// read's origin when the read is submitted and runs every origin's share as that origin's own
// read would run: a grouped read goes nowhere its requests' reads could not have gone.
#include <string>

namespace utxoiq::pg {

struct ReadOrigin {
  std::string routing_key;
  bool may_use_replicas = false;  // false: the primary serves
  bool critical = false;
  friend bool operator==(const ReadOrigin&, const ReadOrigin&) = default;
};

// The origin of the request running now; outside a request, a ReadOrigin that reads from the
// primary (the default).
ReadOrigin current_read_origin();

}  // namespace utxoiq::pg
