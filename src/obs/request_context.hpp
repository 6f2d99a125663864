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
#include <string_view>
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
  // False while the context is installed but runs no request: the http server installs one
  // context per connection around all of the connection's code and marks it active for the time
  // of each request (http/request_scope.hpp), so a request costs no executor of its own.
  bool active = true;

  // Makes this context the one of a new request (clears what the last one noted) and active.
  void begin(std::string_view id, std::string_view route_name);
};

// The installed context when it is active, else nullptr.
RequestContext* current_request() noexcept;
// The installed context, active or not (the request scope reuses a connection's), or nullptr.
RequestContext* installed_context() noexcept;

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
