// The authentication middleware and its Authenticator, on a fake key directory (our own
// interface): 401 without a key or with an unknown one (WWW-Authenticate), 403 for a role too low,
// the principal handed on, open routes and unmatched requests untouched — and no directory call
// at all for a known key (authentication costs no database round trip), at most one per unknown
// hash within the miss window; and what it asks the failed-authentication limiter (a fake of
// cache::FailedAuthLimiter): a blocked address gets 429 before its key is looked at, every
// failure is counted, and a failure the limiter says is over the limit gets 429 instead of 401.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <set>

#include "api/auth_middleware.hpp"
#include "api/authenticator.hpp"
#include "domain/api_key.hpp"
#include "http/router.hpp"
#include "support/run_task.hpp"

namespace utxoiq::api {
namespace {

class FakeDirectory : public store::ApiKeyDirectory {
 public:
  Task<std::vector<store::ActiveApiKey>> load_active() override {
    ++loads;
    co_return keys;
  }
  Task<std::optional<store::ActiveApiKey>> find_active(const std::string& hash) override {
    ++finds;
    for (const auto& key : keys) {
      if (key.key_hash == hash) co_return key;
    }
    co_return std::nullopt;
  }
  Task<void> record_use(const std::vector<Uuid>& ids, Timestamp) override {
    if (fail_record_use) throw std::runtime_error("database down");
    recorded.insert(recorded.end(), ids.begin(), ids.end());
    co_return;
  }
  store::ActiveApiKey add(const std::string& text, const std::string& role) {
    keys.push_back({new_uuid_v7(), domain::api_key_hash(text), role});
    return keys.back();
  }

  std::vector<store::ActiveApiKey> keys;
  std::vector<Uuid> recorded;
  int loads = 0;
  int finds = 0;
  bool fail_record_use = false;
};

// Blocks what the test says and records the failures it is told of.
class FakeFailedAuthLimiter : public cache::FailedAuthLimiter {
 public:
  std::optional<std::int64_t> blocked(const std::string& address) override {
    ++checks;
    if (blocked_addresses.contains(address)) return 7;
    return std::nullopt;
  }
  Task<std::optional<std::int64_t>> record_failure(std::string address) override {
    failures.push_back(std::move(address));
    co_return over_limit;
  }

  std::set<std::string> blocked_addresses;
  std::optional<std::int64_t> over_limit;  // what record_failure answers
  std::vector<std::string> failures;
  int checks = 0;
};

class AuthMiddleware : public ::testing::Test {
 protected:
  void SetUp() override {
    reader_ = directory_.add("reader-key", "reader");
    writer_ = directory_.add("writer-key", "writer");
    testing::run_task(io_, authenticator_.refresh());
  }

  // Runs a request for a route needing `min_role` through the middleware; the handler answers
  // 200 with the principal's role as body.
  http::Response call(std::optional<http::Role> min_role, http::Headers headers, bool routed = true,
                      const std::string& address = "192.0.2.1") {
    http::Route route{http::Method::get, "/x", {.name = "x", .min_role = min_role}, {}, {}};
    http::Request request = http::make_request(http::Method::get, "/x");
    request.headers = std::move(headers);
    request.remote_address = address;
    if (routed) request.route = &route;
    const http::Next next = [](http::Request& r) -> Task<http::Response> {
      co_return http::text_response(
          200, r.principal
                   ? std::string(http::role_name(r.principal->role)) + " " + r.principal->key_id
                   : "anonymous");
    };
    auto middleware = make_auth_middleware(authenticator_, &failures_);
    try {
      return testing::run_task(io_, middleware(request, next));
    } catch (const http::Problem& problem) {
      return http::problem_response(problem);
    }
  }
  static http::Headers bearer(const std::string& key) {
    http::Headers headers;
    headers.add("Authorization", "Bearer " + key);
    return headers;
  }

  boost::asio::io_context io_;
  FakeDirectory directory_;
  Authenticator authenticator_{directory_};
  FakeFailedAuthLimiter failures_;
  store::ActiveApiKey reader_;
  store::ActiveApiKey writer_;
};

TEST_F(AuthMiddleware, WithoutAKeyIs401WithWwwAuthenticate) {
  const auto response = call(http::Role::reader, {});
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(response.content_type, http::kProblemContentType);
}

TEST_F(AuthMiddleware, AnUnknownKeyIs401) {
  const auto response = call(http::Role::reader, bearer("not-a-key"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Bearer");
}

TEST_F(AuthMiddleware, ARoleTooLowIs403) {
  EXPECT_EQ(call(http::Role::writer, bearer("reader-key")).status, 403);
  EXPECT_EQ(call(http::Role::admin, bearer("writer-key")).status, 403);
}

TEST_F(AuthMiddleware, ThePrincipalIsHandedOn) {
  const auto response = call(http::Role::reader, bearer("writer-key"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "writer " + writer_.id.to_string());
  http::Headers x_api_key;
  x_api_key.add("X-API-Key", "reader-key");
  EXPECT_EQ(call(http::Role::reader, x_api_key).body, "reader " + reader_.id.to_string());
}

TEST_F(AuthMiddleware, OpenRoutesAndUnmatchedRequestsPassWithoutAKey) {
  EXPECT_EQ(call(std::nullopt, {}).body, "anonymous");
  EXPECT_EQ(call(http::Role::admin, {}, /*routed=*/false).body, "anonymous");
}

TEST_F(AuthMiddleware, AKnownKeyCostsNoDirectoryCall) {
  const int loads = directory_.loads;
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(call(http::Role::reader, bearer("reader-key")).status, 200);
  EXPECT_EQ(directory_.finds, 0);
  EXPECT_EQ(directory_.loads, loads);
}

TEST_F(AuthMiddleware, AnUnknownKeyIsLookedUpOnceWithinTheMissWindow) {
  for (int i = 0; i < 20; ++i) EXPECT_EQ(call(http::Role::reader, bearer("bogus")).status, 401);
  EXPECT_EQ(directory_.finds, 1);
}

TEST_F(AuthMiddleware, AKeyAddedAfterTheLastReloadIsFoundByTheMissPath) {
  directory_.add("brand-new", "admin");
  EXPECT_EQ(call(http::Role::admin, bearer("brand-new")).status, 200);
  EXPECT_EQ(call(http::Role::admin, bearer("brand-new")).status, 200);
  EXPECT_EQ(directory_.finds, 1);
}

TEST_F(AuthMiddleware, ARevokedKeyIsRefusedAfterTheNextReload) {
  ASSERT_EQ(call(http::Role::reader, bearer("reader-key")).status, 200);
  std::erase_if(directory_.keys, [&](const auto& k) { return k.id == reader_.id; });
  testing::run_task(io_, authenticator_.refresh());
  EXPECT_EQ(call(http::Role::reader, bearer("reader-key")).status, 401);
}

TEST_F(AuthMiddleware, UsesAreFlushedInOneBatchAndKeptWhenTheFlushFails) {
  call(http::Role::reader, bearer("reader-key"));
  call(http::Role::reader, bearer("reader-key"));
  call(http::Role::reader, bearer("writer-key"));
  directory_.fail_record_use = true;
  EXPECT_THROW(testing::run_task(io_, authenticator_.flush_usage()), std::runtime_error);
  directory_.fail_record_use = false;
  testing::run_task(io_, authenticator_.flush_usage());
  ASSERT_EQ(directory_.recorded.size(), 2u);
  testing::run_task(io_, authenticator_.flush_usage());
  EXPECT_EQ(directory_.recorded.size(), 2u) << "nothing used since";
}

TEST(PresentedApiKey, BearerOrXApiKey) {
  auto request = http::make_request(http::Method::get, "/");
  EXPECT_FALSE(presented_api_key(request));
  request.headers.add("Authorization", "Basic abc");
  EXPECT_FALSE(presented_api_key(request));
  request.headers.add("X-API-Key", "  from-header ");
  EXPECT_EQ(presented_api_key(request), "from-header");
  request.headers.set("Authorization", "BEARER   tok ");
  EXPECT_EQ(presented_api_key(request), "tok");
  request.headers.set("Authorization", "Bearer");
  EXPECT_EQ(presented_api_key(request), "from-header");
}

TEST_F(AuthMiddleware, ABlockedAddressGets429BeforeItsKeyIsLookedAt) {
  failures_.blocked_addresses = {"192.0.2.1"};
  const int finds = directory_.finds;
  const auto refused = call(http::Role::reader, bearer("reader-key"));  // right, but blocked
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.get("Retry-After"), "7");
  EXPECT_EQ(refused.content_type, http::kProblemContentType);
  EXPECT_EQ(call(http::Role::reader, bearer("unknown-key")).status, 429);
  EXPECT_EQ(directory_.finds, finds);  // no key was even looked up
  EXPECT_TRUE(failures_.failures.empty()) << "a refused request is not a failure";
  // Another address is not affected; open routes neither (they do not even ask).
  EXPECT_EQ(call(http::Role::reader, bearer("reader-key"), true, "192.0.2.2").status, 200);
  const int checks = failures_.checks;
  EXPECT_EQ(call(std::nullopt, {}).status, 200);
  EXPECT_EQ(failures_.checks, checks);
}

TEST_F(AuthMiddleware, EveryFailedAuthenticationIsCountedForItsAddress) {
  EXPECT_EQ(call(http::Role::reader, {}, true, "192.0.2.7").status, 401);
  EXPECT_EQ(call(http::Role::reader, bearer("guess"), true, "192.0.2.8").status, 401);
  EXPECT_EQ(failures_.failures, (std::vector<std::string>{"192.0.2.7", "192.0.2.8"}));
}

TEST_F(AuthMiddleware, AFailureOverTheLimitGets429InsteadOf401) {
  failures_.over_limit = 12;  // the shared count was at the limit already
  const auto refused = call(http::Role::reader, bearer("guess"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.get("Retry-After"), "12");
  EXPECT_FALSE(refused.headers.get("WWW-Authenticate"));
  EXPECT_EQ(call(http::Role::reader, {}).status, 429);
  EXPECT_EQ(failures_.failures.size(), 2u);
}

TEST_F(AuthMiddleware, SuccessfulAndForbiddenRequestsAreNotFailures) {
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(call(http::Role::reader, bearer("reader-key")).status, 200);
  EXPECT_EQ(call(http::Role::admin, bearer("reader-key")).status, 403);
  EXPECT_TRUE(failures_.failures.empty());
  EXPECT_EQ(failures_.checks, 11);
}

}  // namespace
}  // namespace utxoiq::api
