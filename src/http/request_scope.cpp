// ScopedExecutor wraps the request's executor: everything Asio runs through it (the resumptions
// of the request's coroutines) runs inside an obs::RequestContextScope. Queries, require and
// prefer go to the wrapped executor, so blocking, work tracking and the context stay as they were.
#include "http/request_scope.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <type_traits>
#include <utility>

namespace utxoiq::http {

namespace {

namespace asio = boost::asio;

// Inner is the io_context's own executor type when the request runs on one (the service), so
// the wrapper (that executor and a shared_ptr, 24 bytes) fits in any_io_executor's in-place
// storage: copies of the executor, which Asio makes for every operation, allocate nothing. Any
// other executor (tests) is wrapped as any_io_executor.
template <typename Inner>
class ScopedExecutor {
 public:
  ScopedExecutor(Inner inner, std::shared_ptr<obs::RequestContext> context)
      : inner_(std::move(inner)), context_(std::move(context)) {}

  template <typename Property>
  requires requires(const Inner& e, const Property& p) { asio::query(e, p); }
  decltype(auto) query(const Property& property) const { return asio::query(inner_, property); }

  template <typename Property>
  requires requires(const Inner& e, const Property& p) { asio::require(e, p); }
  auto require(const Property& property) const {
    using Required = std::decay_t<decltype(asio::require(inner_, property))>;
    return ScopedExecutor<Required>(asio::require(inner_, property), context_);
  }

  template <typename Property>
  requires requires(const Inner& e, const Property& p) { asio::prefer(e, p); }
  auto prefer(const Property& property) const {
    using Preferred = std::decay_t<decltype(asio::prefer(inner_, property))>;
    return ScopedExecutor<Preferred>(asio::prefer(inner_, property), context_);
  }

  template <typename Function>
  void execute(Function&& function) const {
    if (runs_inline()) {
      // What the inner executor would do (run it now, on this thread), without the copy of the
      // function and the context that a deferred run needs.
      obs::RequestContextScope scope(context_.get());
      std::forward<Function>(function)();
      return;
    }
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
  template <typename>
  friend class ScopedExecutor;

  bool runs_inline() const {
    if constexpr (std::is_same_v<Inner, asio::any_io_executor>) {
      return false;
    } else {
      return asio::query(inner_, asio::execution::blocking) != asio::execution::blocking.never &&
             inner_.running_in_this_thread();
    }
  }

  Inner inner_;
  std::shared_ptr<obs::RequestContext> context_;
};

using IoExecutor = asio::io_context::executor_type;
static_assert(sizeof(ScopedExecutor<IoExecutor>) <= 3 * sizeof(void*),
              "fits any_io_executor's in-place storage");

template <typename Inner>
Task<Response> run_scoped(Inner inner, std::shared_ptr<obs::RequestContext> context,
                          Task<Response> task) {
  const ScopedExecutor<Inner> scoped(std::move(inner), std::move(context));
  auto completion = asio::co_spawn(scoped, std::move(task), asio::use_awaitable);
  co_return co_await std::move(completion);
}

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
