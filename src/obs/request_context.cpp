// The current request of this thread (see request_context.hpp).
#include "obs/request_context.hpp"

namespace utxoiq::obs {

namespace {
thread_local RequestContext* current = nullptr;
}

RequestContext* current_request() noexcept {
  return current;
}

RequestContextScope::RequestContextScope(RequestContext* context) noexcept : previous_(current) {
  current = context;
}

RequestContextScope::~RequestContextScope() {
  current = previous_;
}

}  // namespace utxoiq::obs
