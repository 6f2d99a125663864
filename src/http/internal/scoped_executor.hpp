#pragma once
// ScopedExecutor wraps an executor: everything Asio runs through it (the resumptions of the
// coroutines spawned on it) runs inside an obs::RequestContextScope of its context, so code on the
// one service thread knows the request it runs for even though requests interleave at every
// co_await. Queries, require and prefer go to the wrapped executor, so blocking, work tracking and
// the context stay as they were. Used per connection by the server (the context is then the
// connection's, active while it runs a request) and per request by http/request_scope when no
// connection context is there.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <type_traits>
#include <utility>

#include "obs/request_context.hpp"

namespace utxoiq::http {

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

}  // namespace utxoiq::http
