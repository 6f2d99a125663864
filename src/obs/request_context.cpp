// The current request of this thread (see request_context.hpp).
#include "obs/request_context.hpp"

namespace utxoiq::obs {

namespace {
thread_local RequestContext* current = nullptr;
}

void RequestContext::begin(std::string_view id, std::string_view route_name) {
  request_id.assign(id);
  route.assign(route_name);
  if (!statement_counts.empty()) statement_counts.clear();
  routing_key.clear();
  reads_may_use_replicas = false;
  critical_reads = false;
  active = true;
}

RequestContext* current_request() noexcept {
  return current != nullptr && current->active ? current : nullptr;
}

RequestContext* installed_context() noexcept {
  return current;
}

RequestContextScope::RequestContextScope(RequestContext* context) noexcept : previous_(current) {
  current = context;
}

RequestContextScope::~RequestContextScope() {
  current = previous_;
}

}  // namespace utxoiq::obs
