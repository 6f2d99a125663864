#pragma once
// What the code running on behalf of one HTTP request may learn about it (request id, route) and
// note in it (how often each statement ran, for N+1 detection), without passing it down every
// call. current_request() is the context of the request whose code runs now on this thread, or
// nullptr. The service is one thread running many requests' coroutines interleaved, so a plain
// "set at the start of the request" would leak into the next request to resume; the http layer
// (http/request_scope.hpp) runs each request on an executor that installs its context around
// every resumption, with RequestContextScope.
#include <cstdint>
#include <string>
#include <unordered_map>

namespace utxoiq::obs {

struct RequestContext {
  std::string request_id;
  std::string route;
  // Statements run by this request: fingerprint -> times.
  std::unordered_map<std::uint64_t, std::uint32_t> statement_counts;
  // Read replicas (issue 12), set once the request's key is known: the key's id (its
  // read-your-writes token), whether its reads may go to a replica (a GET) and whether they are
  // critical (an admin route: primary).
  std::string routing_key;
  bool reads_may_use_replicas = false;
  bool critical_reads = false;
};

RequestContext* current_request() noexcept;

// Makes `context` current for the scope's lifetime (nullptr: none), then restores the previous
// one, so scopes nest.
class RequestContextScope {
 public:
  explicit RequestContextScope(RequestContext* context) noexcept;
  ~RequestContextScope();
  RequestContextScope(const RequestContextScope&) = delete;
  RequestContextScope& operator=(const RequestContextScope&) = delete;

 private:
  RequestContext* previous_;
};

}  // namespace utxoiq::obs
