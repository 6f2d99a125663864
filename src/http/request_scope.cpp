// A request's context, made current around every resumption of its coroutines. The server runs
// each connection on a ScopedExecutor holding the connection's context (http/server.cpp), so the
// middleware only fills that context in and marks it active for the time of the request: no
// executor, coroutine spawn or allocation per request, which a cached read (no statement at all)
// would otherwise pay. Outside such a connection (tests calling the chain directly, or a request
// scope nested in another), the rest of the request is spawned on an executor of its own.
#include "http/request_scope.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <utility>

#include "http/internal/scoped_executor.hpp"

namespace utxoiq::http {

namespace {

template <typename Inner>
Task<Response> run_scoped(Inner inner, std::shared_ptr<obs::RequestContext> context,
                          Task<Response> task) {
  const ScopedExecutor<Inner> scoped(std::move(inner), std::move(context));
  auto completion = asio::co_spawn(scoped, std::move(task), asio::use_awaitable);
  co_return co_await std::move(completion);
}

// Marks the connection's context inactive when the request ends, however it ends.
class ActiveRequest {
 public:
  explicit ActiveRequest(obs::RequestContext& context) : context_(context) {}
  ~ActiveRequest() { context_.active = false; }
  ActiveRequest(const ActiveRequest&) = delete;
  ActiveRequest& operator=(const ActiveRequest&) = delete;

 private:
  obs::RequestContext& context_;
};

}  // namespace

// Named locals, not temporaries of the co_await expressions: GCC 12 destroys such temporaries
// twice (here a shared_ptr: the context would be freed while the request still uses it).
Task<Response> run_in_request_scope(std::shared_ptr<obs::RequestContext> context,
                                    Task<Response> task) {
  assert(context);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  if (const auto* io = executor.target<IoExecutor>()) {
    auto run = run_scoped(*io, std::move(context), std::move(task));
    co_return co_await std::move(run);
  }
  auto run = run_scoped(executor, std::move(context), std::move(task));
  co_return co_await std::move(run);
}

Middleware request_scope_middleware(RequestFinished finished) {
  return [finished = std::move(finished)](Request& request, const Next& next) -> Task<Response> {
    const std::string_view route =
        request.route_name.empty() ? std::string_view("unmatched") : request.route_name;
    if (obs::RequestContext* connection = obs::installed_context();
        connection != nullptr && !connection->active) {
      connection->begin(request.request_id, route);
      const ActiveRequest active(*connection);
      Task<Response> rest = next(request);
      Response response = co_await std::move(rest);
      if (finished) finished(*connection);
      co_return response;
    }
    auto context = std::make_shared<obs::RequestContext>();
    context->begin(request.request_id, route);
    Task<Response> rest = next(request);
    auto scoped = run_in_request_scope(context, std::move(rest));
    Response response = co_await std::move(scoped);
    if (finished) finished(*context);
    co_return response;
  };
}

}  // namespace utxoiq::http
