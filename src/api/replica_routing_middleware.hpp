#pragma once
// Read replicas (issue 12) at the request level, after authentication:
//  - tells the pool whose request this is (the key, for its read-your-writes token), whether its
//    reads may go to a replica (a GET: reads only) and whether they are critical (an admin route:
//    the primary, seed 003 "priority-based routing for critical operations");
//  - after a request that may have changed data (any other method) answered with success, records
//    the key's read-your-writes token before the answer leaves, so the key's next read -- on any
//    connection of this instance -- never lands on a replica that has not replayed it.
// Only installed when replicas are configured: without them it would cost a round trip per write.
#include "http/middleware.hpp"

namespace utxoiq::pg {
class ReplicaSet;
}

namespace utxoiq::api {

// `replicas` must outlive the middleware.
http::Middleware replica_routing_middleware(pg::ReplicaSet& replicas);

}  // namespace utxoiq::api
