// ScopedExecutor wraps the request's executor: everything Asio runs through it (the resumptions
// of the request's coroutines) runs inside an obs::RequestContextScope. Queries, require and
// prefer go to the wrapped executor, so blocking, work tracking and the context stay as they were.
#include "http/request_scope.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <utility>

namespace utxoiq::http {

namespace {

namespace asio = boost::asio;

class ScopedExecutor {
 public:
  ScopedExecutor(asio::any_io_executor inner, std::shared_ptr<obs::RequestContext> context)
      : inner_(std::move(inner)), context_(std::move(context)) {}

  template <typename Property>
  requires requires(const asio::any_io_executor& e, const Property& p) { asio::query(e, p); }
  decltype(auto) query(const Property& property) const { return asio::query(inner_, property); }

  template <typename Property>
  requires requires(const asio::any_io_executor& e, const Property& p) { asio::require(e, p); }
  ScopedExecutor require(const Property& property) const {
    return ScopedExecutor(asio::require(inner_, property), context_);
  }

  template <typename Property>
  requires requires(const asio::any_io_executor& e, const Property& p) { asio::prefer(e, p); }
  ScopedExecutor prefer(const Property& property) const {
    return ScopedExecutor(asio::prefer(inner_, property), context_);
  }

  template <typename Function>
  void execute(Function&& function) const {
    inner_.execute([context = context_, f = std::forward<Function>(function)]() mutable {
      obs::RequestContextScope scope(context.get());
      std::move(f)();
    });
  }

  bool operator==(const ScopedExecutor& other) const noexcept {
    return inner_ == other.inner_ && context_ == other.context_;
  }
  bool operator!=(const ScopedExecutor& other) const noexcept { return !(*this == other); }

 private:
  asio::any_io_executor inner_;
  std::shared_ptr<obs::RequestContext> context_;
};

}  // namespace

// Named locals, not temporaries of the co_await expressions: GCC 12 destroys such temporaries
// twice (here a shared_ptr: the context would be freed while the request still uses it).
Task<Response> run_in_request_scope(std::shared_ptr<obs::RequestContext> context,
                                    Task<Response> task) {
  assert(context);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  const ScopedExecutor scoped(executor, std::move(context));
  auto completion = asio::co_spawn(scoped, std::move(task), asio::use_awaitable);
  co_return co_await std::move(completion);
}

Middleware request_scope_middleware(RequestFinished finished) {
  return [finished = std::move(finished)](Request& request, const Next& next) -> Task<Response> {
    auto context = std::make_shared<obs::RequestContext>();
    context->request_id = request.request_id;
    context->route = request.route_name.empty() ? "unmatched" : std::string(request.route_name);
    Task<Response> rest = next(request);
    auto scoped = run_in_request_scope(context, std::move(rest));
    Response response = co_await std::move(scoped);
    if (finished) finished(*context);
    co_return response;
  };
}

}  // namespace utxoiq::http
