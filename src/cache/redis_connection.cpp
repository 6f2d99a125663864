// One pipelined Redis connection on the Asio loop: RESP encoding here, hiredis's redisReader for
// decoding; see redis_connection.hpp for why not hiredis's async context.
#include "cache/redis_connection.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>
#include <deque>
#include <new>
#include <optional>
#include <tuple>

#include "cache/internal/redis_errors.hpp"
#include "cache/redis_reply_reader.hpp"

namespace utxoiq::cache {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// RESP: every command is an array of bulk strings, so any byte (even \r\n) may be in an argument.
void append_command(std::string& out, const std::vector<std::string>& args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (const std::string& arg : args) {
    out += '$';
    out += std::to_string(arg.size());
    out += "\r\n";
    out += arg;
    out += "\r\n";
  }
}

// One command waiting for its reply. The waiting coroutine sleeps on `timer` (armed with the
// command timeout); the reader cancels it once the reply (or the connection's end) is in.
struct Pending {
  explicit Pending(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  std::optional<RedisReply> reply;
  std::string failure;     // set when the connection ended before the reply
  bool abandoned = false;  // the waiter gave up: drop the reply when it comes
};

}  // namespace

struct RedisConnection::State : std::enable_shared_from_this<State> {
  State(asio::io_context& context, RedisConnectOptions connect_options)
      : io(context),
        socket(context),
        resolver(context),
        wake_writer(context),
        options(connect_options) {}

  asio::io_context& io;
  tcp::socket socket;
  tcp::resolver resolver;
  asio::steady_timer wake_writer;  // the idle writer sleeps on it; enqueue() cancels it
  RedisConnectOptions options;
  RedisReplyReader reader;
  std::deque<std::shared_ptr<Pending>> pending;  // in the order the commands were written
  std::string out;                               // encoded commands not yet handed to the socket
  bool open = true;
  bool writing = false;
  bool push_mode = false;
  std::function<void(RedisReply)> push_handler;
  std::function<void(const std::string&)> close_handler;
  resilience::TimePoint last_read = resilience::steady_now();

  void enqueue(const std::vector<std::string>& args) {
    append_command(out, args);
    if (!writing) wake_writer.cancel();
  }

  std::shared_ptr<Pending> enqueue_command(const std::vector<std::string>& args) {
    auto p = std::make_shared<Pending>(io);
    p->timer.expires_after(options.command_timeout);
    enqueue(args);
    pending.push_back(p);
    return p;
  }

  void deliver(RedisReply reply) {
    if (push_mode || pending.empty()) {
      if (push_handler) {
        push_handler(std::move(reply));
      } else {
        fail("a reply that belongs to no command", true);
      }
      return;
    }
    const std::shared_ptr<Pending> p = std::move(pending.front());
    pending.pop_front();
    if (p->abandoned) return;
    p->reply = std::move(reply);
    p->timer.cancel();
  }

  // Closes the socket and fails every command in flight. `notify`: tell the owner (a close it did
  // not ask for).
  void fail(const std::string& reason, bool notify) {
    if (!open) return;
    open = false;
    boost::system::error_code ignored;
    resolver.cancel();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    wake_writer.cancel();
    const auto failed = std::move(pending);
    pending.clear();
    for (const auto& p : failed) {
      p->failure = reason;
      p->timer.cancel();
    }
    // The handlers may be running right now (a push handler that closes the connection), so they
    // are destroyed later, on the loop, not here.
    std::function<void(const std::string&)> on_close;
    if (notify) on_close = std::move(close_handler);
    asio::post(io, [on_close = std::move(on_close), reason, dropped_push = std::move(push_handler),
                    dropped_close = std::move(close_handler)] {
      if (on_close) on_close(reason);
    });
  }
};

namespace {

using State = RedisConnection::State;

Task<void> write_loop(std::shared_ptr<State> self) {
  std::string buffer;
  while (self->open) {
    if (self->out.empty()) {
      self->writing = false;
      self->wake_writer.expires_at(asio::steady_timer::time_point::max());
      co_await self->wake_writer.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    // Everything queued since the last write goes out in one write: that is the pipelining.
    self->writing = true;
    buffer.clear();
    buffer.swap(self->out);
    const auto [ec, written] = co_await asio::async_write(self->socket, asio::buffer(buffer),
                                                          asio::as_tuple(asio::use_awaitable));
    if (ec) {
      self->fail("write failed: " + ec.message(), true);
      co_return;
    }
  }
}

Task<void> read_loop(std::shared_ptr<State> self) {
  std::array<char, 16 * 1024> buffer;
  while (self->open) {
    const auto [ec, n] = co_await self->socket.async_read_some(asio::buffer(buffer),
                                                               asio::as_tuple(asio::use_awaitable));
    if (!self->open) co_return;
    if (ec) {
      self->fail(ec == asio::error::eof ? std::string("connection closed by the server")
                                        : "read failed: " + ec.message(),
                 true);
      co_return;
    }
    self->last_read = resilience::steady_now();
    try {
      self->reader.feed(std::string_view(buffer.data(), n));
      while (std::optional<RedisReply> reply = self->reader.next()) {
        self->deliver(std::move(*reply));
        if (!self->open) co_return;
      }
    } catch (const RedisProtocolError& e) {
      self->fail(e.what(), true);
      co_return;
    }
  }
}

Task<RedisReply> await_reply(std::shared_ptr<State> self, std::shared_ptr<Pending> p) {
  // In a pipeline the later replies are usually in before their waiter gets here; cancelling a
  // timer nobody waits on does nothing, so look first.
  boost::system::error_code ec;
  if (!p->reply && p->failure.empty()) {
    std::tie(ec) = co_await p->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (p->reply) co_return std::move(*p->reply);
  if (!p->failure.empty()) throw RedisUnavailable(p->failure);
  p->abandoned = true;
  if (ec == asio::error::operation_aborted) {
    throw boost::system::system_error(ec);  // our caller was cancelled, not the connection
  }
  const std::string why =
      "no reply within " + std::to_string(self->options.command_timeout.count()) + " ms";
  self->fail(why, true);
  throw RedisTimeout(why);
}

// One command of the connection set-up; an error reply fails the connect.
Task<void> run_handshake_step(std::shared_ptr<RedisConnection> connection,
                              std::vector<std::string> args, std::string what, std::string where,
                              std::shared_ptr<bool> timed_out,
                              std::chrono::milliseconds connect_timeout) {
  RedisReply reply;
  try {
    reply = co_await connection->command(std::move(args));
  } catch (const RedisUnavailable&) {
    if (*timed_out) {
      throw RedisTimeout("connecting to " + where + ": no answer within " +
                         std::to_string(connect_timeout.count()) + " ms");
    }
    throw;
  }
  if (reply.is_error()) {
    // The server's own words (e.g. WRONGPASS), never the password we sent.
    throw RedisUnavailable(what + " refused by " + where + ": " + reply.text);
  }
}

}  // namespace

RedisConnection::RedisConnection(std::shared_ptr<State> state) : state_(std::move(state)) {}

RedisConnection::~RedisConnection() {
  state_->fail("closed", false);
}

Task<std::shared_ptr<RedisConnection>> RedisConnection::connect(asio::io_context& io,
                                                                RedisEndpoint endpoint,
                                                                RedisConnectOptions options) {
  auto state = std::make_shared<State>(io, options);
  auto connection = std::make_shared<RedisConnection>(state);

  // One deadline for the whole set-up: on expiry it closes the socket (and cancels the resolver),
  // which ends whichever step is running.
  auto timed_out = std::make_shared<bool>(false);
  auto watchdog = std::make_shared<asio::steady_timer>(io, options.connect_timeout);
  watchdog->async_wait(
      [weak = std::weak_ptr<State>(state), timed_out](const boost::system::error_code& ec) {
        if (ec) return;
        *timed_out = true;
        if (auto s = weak.lock()) s->fail("connect timed out", false);
      });
  struct CancelOnExit {
    std::shared_ptr<asio::steady_timer> timer;
    ~CancelOnExit() { timer->cancel(); }
  } cancel_watchdog{watchdog};
  const std::string where = endpoint.describe();
  const auto check = [&](const boost::system::error_code& ec, const char* step) {
    if (*timed_out) {
      throw RedisTimeout("connecting to " + where + ": no answer within " +
                         std::to_string(options.connect_timeout.count()) + " ms");
    }
    if (ec) throw RedisUnavailable(std::string(step) + " " + where + ": " + ec.message());
  };

  const auto [resolve_ec, results] = co_await state->resolver.async_resolve(
      endpoint.host, std::to_string(endpoint.port), asio::as_tuple(asio::use_awaitable));
  check(resolve_ec, "cannot resolve");
  const auto [connect_ec, peer] =
      co_await asio::async_connect(state->socket, results, asio::as_tuple(asio::use_awaitable));
  check(connect_ec, "cannot connect to");
  boost::system::error_code ignored;
  state->socket.set_option(tcp::no_delay(true), ignored);
  asio::co_spawn(io, read_loop(state), asio::detached);
  asio::co_spawn(io, write_loop(state), asio::detached);

  // The commands are built before the co_await: GCC 12 cannot keep an initializer list alive
  // across a suspension point ("array used as initializer").
  std::vector<std::vector<std::string>> steps;
  if (!endpoint.password.empty()) {
    if (endpoint.username.empty()) {
      steps.push_back({"AUTH", endpoint.password});
    } else {
      steps.push_back({"AUTH", endpoint.username, endpoint.password});
    }
  }
  if (endpoint.db != 0) steps.push_back({"SELECT", std::to_string(endpoint.db)});
  if (steps.empty()) steps.push_back({"PING"});
  for (auto& step : steps) {
    const std::string what = step.front();
    co_await run_handshake_step(connection, std::move(step), what, where, timed_out,
                                options.connect_timeout);
  }
  co_return connection;
}

Task<RedisReply> RedisConnection::command(std::vector<std::string> args) {
  if (!state_->open) throw RedisUnavailable("connection closed");
  auto p = state_->enqueue_command(args);
  co_return co_await await_reply(state_, std::move(p));
}

Task<std::vector<RedisReply>> RedisConnection::pipeline(
    std::vector<std::vector<std::string>> commands) {
  if (!state_->open) throw RedisUnavailable("connection closed");
  std::vector<std::shared_ptr<Pending>> waiting;
  waiting.reserve(commands.size());
  for (const auto& args : commands) waiting.push_back(state_->enqueue_command(args));
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (auto& p : waiting) replies.push_back(co_await await_reply(state_, std::move(p)));
  co_return replies;
}

void RedisConnection::send(std::vector<std::string> args) {
  if (state_->open) state_->enqueue(args);
}

void RedisConnection::set_push_handler(std::function<void(RedisReply)> handler) {
  state_->push_handler = std::move(handler);
}

void RedisConnection::set_push_mode(bool on) {
  state_->push_mode = on;
}

void RedisConnection::set_close_handler(std::function<void(const std::string&)> handler) {
  state_->close_handler = std::move(handler);
}

bool RedisConnection::is_open() const {
  return state_->open;
}

void RedisConnection::close(const std::string& reason) {
  state_->fail(reason, false);
}

void RedisConnection::abort(const std::string& reason) {
  state_->fail(reason, true);
}

resilience::TimePoint RedisConnection::last_read() const {
  return state_->last_read;
}

std::size_t RedisConnection::in_flight() const {
  return state_->pending.size();
}

}  // namespace utxoiq::cache
