// The Redis client against a real redis-server (tests/support): commands and binary-safe values,
// many commands in flight on one connection answered in order, error replies as values, the
// disabled mode, an unreachable server failing fast, timeouts closing the connection, the circuit
// breaker, recovery by itself after the server is stopped and started again, scripts surviving
// SCRIPT FLUSH, and the subscriber connection across a restart.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

#include "app/free_port.hpp"
#include "cache/internal/redis_errors.hpp"
#include "cache/internal/redis_script.hpp"
#include "cache/redis_client.hpp"
#include "cache/redis_subscriber.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::cache {
namespace {

using testing::run_task;
using testing::sleep_for;
using testing::TestServers;
using namespace std::chrono_literals;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServers::get();
    RedisClient admin(io_, options());
    run(admin.start());
    std::vector<std::string> flush{"FLUSHALL"};
    ASSERT_EQ(run(admin.command(flush)).describe(), "+OK");
  }

  RedisClientOptions options(std::string url = TestServers::get().redis_url()) {
    RedisClientOptions o;
    o.url = std::move(url);
    o.connection.connect_timeout = 500ms;
    o.connection.command_timeout = 500ms;
    o.reconnect_backoff = {20ms, 200ms, 2.0};
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  RedisReply cmd(RedisCommands& redis, std::vector<std::string> args) {
    return run(redis.command(std::move(args)));
  }
  template <typename Predicate>
  bool eventually(Predicate done) {
    for (int i = 0; i < 3000 && !done(); ++i) run(sleep_for(10ms));
    return done();
  }

  boost::asio::io_context io_;
};

TEST_F(RedisClientTest, StartsUpAndRunsCommands) {
  RedisClient redis(io_, options());
  run(redis.start());
  EXPECT_EQ(redis.state(), RedisState::up);
  EXPECT_EQ(cmd(redis, {"SET", "k", "v"}).describe(), "+OK");
  EXPECT_EQ(cmd(redis, {"GET", "k"}).describe(), "\"v\"");
  EXPECT_EQ(cmd(redis, {"INCR", "n"}).as_integer(), 1);
  EXPECT_TRUE(cmd(redis, {"GET", "missing"}).is_nil());
  EXPECT_EQ(redis.sessions(), 1u);
}

TEST_F(RedisClientTest, ValuesAreBinarySafe) {
  RedisClient redis(io_, options());
  run(redis.start());
  const std::string value("line\r\nwith\0nul\r\n$3\r\n*1", 23);
  cmd(redis, {"SET", "bin\r\nkey", value});
  EXPECT_EQ(cmd(redis, {"GET", "bin\r\nkey"}).text, value);
  const std::string big(1 << 20, 'x');  // larger than one read buffer
  cmd(redis, {"SET", "big", big});
  EXPECT_EQ(cmd(redis, {"GET", "big"}).text, big);
}

TEST_F(RedisClientTest, ManyCommandsInFlightGetTheirOwnReplies) {
  RedisClient redis(io_, options());
  run(redis.start());
  // 500 coroutines at once on one connection, each writing and reading its own key.
  constexpr int kCount = 500;
  std::vector<std::string> got(kCount);
  int finished = 0;
  for (int i = 0; i < kCount; ++i) {
    boost::asio::co_spawn(
        io_,
        [&, i]() -> Task<void> {
          std::vector<std::string> set{"SET", "key:" + std::to_string(i),
                                       "value:" + std::to_string(i)};
          co_await redis.command(std::move(set));
          std::vector<std::string> get{"GET", "key:" + std::to_string(i)};
          got[i] = (co_await redis.command(std::move(get))).text;
          ++finished;
        },
        boost::asio::detached);
  }
  EXPECT_TRUE(eventually([&] { return finished == kCount; }));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(got[i], "value:" + std::to_string(i));
  EXPECT_EQ(redis.sessions(), 1u);  // all of it on the one connection
}

TEST_F(RedisClientTest, PipelineRepliesComeInOrder) {
  RedisClient redis(io_, options());
  run(redis.start());
  std::vector<std::vector<std::string>> commands(300, std::vector<std::string>{"INCR", "counter"});
  const auto replies = run(redis.pipeline(commands));
  ASSERT_EQ(replies.size(), 300u);
  for (std::size_t i = 0; i < replies.size(); ++i) EXPECT_EQ(replies[i].as_integer(), i + 1);
}

TEST_F(RedisClientTest, ErrorRepliesAreValuesAndTheConnectionStaysUsable) {
  RedisClient redis(io_, options());
  run(redis.start());
  const RedisReply reply = cmd(redis, {"NO_SUCH_COMMAND", "x"});
  EXPECT_TRUE(reply.is_error());
  EXPECT_TRUE(reply.is_error_code("ERR"));
  cmd(redis, {"SET", "s", "text"});
  EXPECT_TRUE(cmd(redis, {"INCR", "s"}).is_error());
  EXPECT_EQ(cmd(redis, {"PING"}).describe(), "+PONG");
  EXPECT_EQ(redis.breaker().counters().failures, 0u);  // answers, not failures
}

TEST_F(RedisClientTest, WithoutAUrlTheClientIsDisabled) {
  RedisClient redis(io_, options(""));
  run(redis.start());
  EXPECT_EQ(redis.state(), RedisState::disabled);
  EXPECT_FALSE(redis.enabled());
  EXPECT_THROW(cmd(redis, {"PING"}), RedisUnavailable);
}

TEST_F(RedisClientTest, MalformedUrlIsRefusedAtConstruction) {
  EXPECT_THROW(RedisClient(io_, options("http://localhost:6379")), std::invalid_argument);
}

TEST_F(RedisClientTest, UnreachableServerIsDownAndCallsFailAtOnce) {
  RedisClient redis(io_,
                    options("redis://127.0.0.1:" + std::to_string(app::pick_free_loopback_port())));
  run(redis.start());  // returns: an outage never blocks start-up
  EXPECT_EQ(redis.state(), RedisState::down);
  try {
    cmd(redis, {"PING"});
    ADD_FAILURE() << "a command while down must throw";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("not connected"), std::string::npos) << e.what();
  }
}

TEST_F(RedisClientTest, ServerThatNeverAnswersTimesOutTheConnect) {
  // A listening socket that accepts and never says a word: the connect's PING gets no answer.
  boost::asio::ip::tcp::acceptor silent(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = silent.local_endpoint().port();
  RedisClient redis(io_, options("redis://127.0.0.1:" + std::to_string(port)));
  run(redis.start());
  EXPECT_EQ(redis.state(), RedisState::down);
  EXPECT_THROW(run(RedisConnection::connect(io_, parse_redis_url(redis.options().url),
                                            {.connect_timeout = 100ms, .command_timeout = 100ms})),
               RedisTimeout);
}

TEST_F(RedisClientTest, CommandTimeoutClosesTheConnectionWhichComesBack) {
  RedisClient redis(io_, options());
  RedisClient pauser(io_, options());
  run(redis.start());
  run(pauser.start());
  // CLIENT PAUSE stops the server from answering any client for a while: a stalled server.
  EXPECT_EQ(cmd(pauser, {"CLIENT", "PAUSE", "3000", "ALL"}).describe(), "+OK");
  EXPECT_THROW(cmd(redis, {"GET", "k"}), RedisTimeout);
  EXPECT_NE(redis.state(), RedisState::up);  // the timed-out connection was closed
  EXPECT_TRUE(eventually([&] { return redis.state() == RedisState::up; }));
  EXPECT_EQ(cmd(redis, {"PING"}).describe(), "+PONG");
  EXPECT_GE(redis.sessions(), 2u);
  cmd(pauser, {"CLIENT", "UNPAUSE"});
}

TEST_F(RedisClientTest, OpenBreakerFailsCallsWithoutSendingThem) {
  auto o = options();
  o.breaker.minimum_calls = 1;
  o.breaker.open_duration = 60s;
  o.breaker.max_open_duration = 60s;
  RedisClient redis(io_, o);
  RedisClient pauser(io_, options());
  run(redis.start());
  run(pauser.start());
  cmd(pauser, {"CLIENT", "PAUSE", "2000", "ALL"});
  EXPECT_THROW(cmd(redis, {"GET", "k"}), RedisTimeout);
  EXPECT_EQ(redis.breaker().state(), resilience::BreakerState::open);
  EXPECT_TRUE(eventually([&] { return redis.state() == RedisState::up; }));
  // Connected again, but the breaker is open: refused at once, never sent.
  try {
    cmd(redis, {"PING"});
    ADD_FAILURE() << "an open breaker must refuse the call";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("circuit open"), std::string::npos) << e.what();
  }
  EXPECT_GE(redis.breaker().counters().rejected, 1u);
  cmd(pauser, {"CLIENT", "UNPAUSE"});
}

TEST_F(RedisClientTest, RecoversByItselfAfterTheServerRestarts) {
  RedisClient redis(io_, options());
  std::vector<RedisState> seen;
  redis.on_state_change([&](RedisState s) { seen.push_back(s); });
  run(redis.start());
  cmd(redis, {"SET", "before", "1"});

  TestServers::get().stop_redis();
  EXPECT_TRUE(eventually([&] { return redis.state() == RedisState::down; }));
  EXPECT_THROW(cmd(redis, {"PING"}), RedisUnavailable);  // at once: not connected

  TestServers::get().start_redis();
  EXPECT_TRUE(eventually([&] { return redis.state() == RedisState::up; }));
  EXPECT_EQ(cmd(redis, {"PING"}).describe(), "+PONG");
  EXPECT_GE(redis.sessions(), 2u);
  const std::vector<RedisState> expected{RedisState::up, RedisState::down, RedisState::up};
  EXPECT_EQ(seen, expected);
}

TEST_F(RedisClientTest, ScriptsRunByShaAndSurviveScriptFlush) {
  RedisClient redis(io_, options());
  run(redis.start());
  const RedisScript script("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}");
  EXPECT_EQ(run(script.run(redis, {"s"}, {"a"})).describe(), "[\"s\", \"a\", :1]");
  cmd(redis, {"SCRIPT", "FLUSH"});
  EXPECT_EQ(run(script.run(redis, {"s"}, {"b"})).describe(), "[\"s\", \"b\", :2]");
  const auto loaded = cmd(redis, {"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(loaded.is_array());
  EXPECT_EQ(loaded.elements.at(0).as_integer(), 1);  // EVAL loaded it again
}

TEST_F(RedisClientTest, SubscriberHearsMessagesAndResubscribesAfterARestart) {
  RedisSubscriberOptions so;
  so.url = TestServers::get().redis_url();
  so.channel = "test-channel";
  so.reconnect_backoff = {20ms, 200ms, 2.0};
  RedisSubscriber subscriber(io_, so);
  std::vector<std::string> messages;
  std::vector<bool> hearing;
  subscriber.on_message([&](std::string_view m) { messages.emplace_back(m); });
  subscriber.on_hearing_change([&](bool h) { hearing.push_back(h); });
  run(subscriber.start());
  EXPECT_TRUE(subscriber.hearing());

  RedisClient publisher(io_, options());
  run(publisher.start());
  cmd(publisher, {"PUBLISH", "test-channel", "one"});
  cmd(publisher, {"PUBLISH", "other-channel", "not for us"});
  EXPECT_TRUE(eventually([&] { return messages.size() == 1; }));
  EXPECT_EQ(messages.at(0), "one");

  TestServers::get().stop_redis();
  EXPECT_TRUE(eventually([&] { return !subscriber.hearing(); }));
  TestServers::get().start_redis();
  EXPECT_TRUE(
      eventually([&] { return subscriber.hearing() && publisher.state() == RedisState::up; }));
  cmd(publisher, {"PUBLISH", "test-channel", "two"});
  EXPECT_TRUE(eventually([&] { return messages.size() == 2; }));
  EXPECT_EQ(messages.back(), "two");
  const std::vector<bool> expected{true, false, true};
  EXPECT_EQ(hearing, expected);
}

TEST_F(RedisClientTest, SubscriberHeartbeatKeepsAQuietConnectionAlive) {
  RedisSubscriberOptions so;
  so.url = TestServers::get().redis_url();
  so.channel = "quiet";
  so.heartbeat_interval = 20ms;
  so.heartbeat_timeout = 400ms;
  RedisSubscriber subscriber(io_, so);
  int changes = 0;
  subscriber.on_hearing_change([&](bool) { ++changes; });
  run(subscriber.start());
  run(sleep_for(1s));  // many heartbeat periods with no message at all
  EXPECT_TRUE(subscriber.hearing());
  EXPECT_EQ(changes, 1);  // only the first "hearing"
}

}  // namespace
}  // namespace utxoiq::cache
