// See worker_metrics_exchange.hpp. Everything runs on the worker's io_context thread, as the HTTP
// /metrics handler does, so Registry::expose() is called from one thread as before.
#include "app/worker_metrics_exchange.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cassert>
#include <optional>
#include <vector>

#include "app/worker_metrics_dir.hpp"
#include "obs/exposition_merge.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

struct WorkerMetricsExchange::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, std::string dir, int index, int count, obs::Registry& registry)
      : io(io), dir(std::move(dir)), index(index), count(count), registry(registry) {}

  asio::io_context& io;
  std::string dir;
  int index;
  int count;
  obs::Registry& registry;
  std::optional<local::acceptor> acceptor;

  std::string own_path() const { return worker_metrics_socket_path(dir, index); }

  // Each connection gets the exposition of the moment, then end of file.
  Task<void> serve() {
    const auto self = shared_from_this();
    while (acceptor && acceptor->is_open()) {
      auto [error, socket] = co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
      if (error) {
        if (error == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) break;
        // A peer that hung up before the accept completed, or no descriptor left: not a reason
        // to stop serving, nor to spin on the error.
        asio::steady_timer pause(io, std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      asio::co_spawn(io, answer(std::move(socket)), asio::detached);
    }
  }

  Task<void> answer(local::socket socket) {
    const auto self = shared_from_this();
    const std::string text = registry.expose();
    // Bounded by the reader: it closes its end after kPeerTimeout, which fails this write.
    co_await asio::async_write(socket, asio::buffer(text), asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    socket.shutdown(local::socket::shutdown_send, ignored);
    socket.close(ignored);
  }

  // Worker `peer`'s exposition, or nothing when it does not answer in full.
  static Task<std::optional<std::string>> fetch(std::string path) {
    local::socket socket(co_await asio::this_coro::executor);
    auto [connect_error] =
        co_await socket.async_connect(local::endpoint(path), asio::as_tuple(asio::use_awaitable));
    if (connect_error) co_return std::nullopt;
    std::string text;
    auto [read_error, size] = co_await asio::async_read(socket, asio::dynamic_buffer(text),
                                                        asio::as_tuple(asio::use_awaitable));
    if (read_error != asio::error::eof) co_return std::nullopt;
    assert(size == text.size());
    co_return text;
  }

  static Task<std::optional<std::string>> fetch_within(std::string path) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer deadline(co_await asio::this_coro::executor, kPeerTimeout);
    auto result = co_await (fetch(std::move(path)) ||
                            deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (result.index() != 0) co_return std::nullopt;
    co_return std::get<0>(std::move(result));
  }

  // The reads of the other workers, concurrently; returns when every one ended.
  Task<std::vector<std::optional<std::string>>> fetch_peers() {
    struct Gather {
      explicit Gather(asio::io_context& io, int count)
          : texts(static_cast<std::size_t>(count)),
            done(io, asio::steady_timer::time_point::max()) {}
      std::vector<std::optional<std::string>> texts;
      int pending = 0;
      asio::steady_timer done;
    };
    auto gather = std::make_shared<Gather>(io, count);
    gather->pending = count - 1;
    for (int peer = 0; peer < count; ++peer) {
      if (peer == index) continue;
      asio::co_spawn(
          io,
          [gather, peer, path = worker_metrics_socket_path(dir, peer)]() -> Task<void> {
            gather->texts[static_cast<std::size_t>(peer)] = co_await fetch_within(path);
            if (--gather->pending == 0) gather->done.cancel();
          },
          asio::detached);
    }
    if (gather->pending > 0) {
      co_await gather->done.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    assert(gather->pending == 0);
    co_return std::move(gather->texts);
  }

  Task<std::string> merged() {
    const auto self = shared_from_this();
    auto peers = co_await fetch_peers();
    int missing = 0;
    for (int worker = 0; worker < count; ++worker) {
      if (worker != index && !peers[static_cast<std::size_t>(worker)]) ++missing;
    }
    std::vector<obs::WorkerExposition> inputs;
    for (int worker = 0; worker < count; ++worker) {
      auto& text = peers[static_cast<std::size_t>(worker)];
      if (worker == index) {
        // Read after the others: this worker's own figures are the freshest of the scrape.
        std::string own = registry.expose();
        own +=
            "# HELP utxoiq_metrics_workers_missing Workers left out of this scrape of /metrics "
            "(no answer within 1 s: restarting); reported by the worker that answered it\n"
            "# TYPE utxoiq_metrics_workers_missing gauge\n"
            "utxoiq_metrics_workers_missing " +
            std::to_string(missing) + "\n";
        inputs.push_back({.worker = worker, .text = std::move(own)});
      } else if (text) {
        inputs.push_back({.worker = worker, .text = std::move(*text)});
      }
    }
    co_return obs::merge_expositions(inputs);
  }
};

WorkerMetricsExchange::WorkerMetricsExchange(asio::io_context& io, std::string dir, int index,
                                             int count, obs::Registry& registry)
    : impl_(std::make_shared<Impl>(io, std::move(dir), index, count, registry)) {
  assert(count > 1 && index >= 0 && index < count);
}

WorkerMetricsExchange::~WorkerMetricsExchange() {
  stop();
}

void WorkerMetricsExchange::start() {
  assert(!impl_->acceptor);
  const std::string path = impl_->own_path();
  ::unlink(path.c_str());  // a socket left by this worker's previous process
  impl_->acceptor.emplace(impl_->io, local::endpoint(path));
  asio::co_spawn(impl_->io, impl_->serve(), asio::detached);
}

void WorkerMetricsExchange::stop() {
  if (!impl_->acceptor) return;
  boost::system::error_code ignored;
  impl_->acceptor->close(ignored);
  ::unlink(impl_->own_path().c_str());
}

Task<std::string> WorkerMetricsExchange::merged_exposition() {
  return impl_->merged();
}

}  // namespace utxoiq::app
