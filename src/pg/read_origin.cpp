// See read_origin.hpp.
#include "pg/read_origin.hpp"

#include "obs/request_context.hpp"

namespace utxoiq::pg {

ReadOrigin current_read_origin() {
  const obs::RequestContext* request = obs::current_request();
  if (request == nullptr) return {};
  return {.routing_key = request->routing_key,
          .may_use_replicas = request->reads_may_use_replicas,
          .critical = request->critical_reads};
}

}  // namespace utxoiq::pg
