// The Idempotency-Key header (api/idempotency_key.hpp): what a valid key is, whose keys they are,
// and the fingerprint that tells a retry from another request.
#include "api/idempotency_key.hpp"

#include <gtest/gtest.h>

namespace utxoiq::api {
namespace {

http::Request with_headers(std::vector<std::pair<std::string, std::string>> headers) {
  auto request = http::make_request(http::Method::post, "/api/v1/monitoring/metrics/batch");
  for (auto& [name, value] : headers) request.headers.add(std::move(name), std::move(value));
  return request;
}

std::optional<std::string> key_of(std::vector<std::pair<std::string, std::string>> headers,
                                  FieldErrors& errors) {
  auto key = read_idempotency_key(with_headers(std::move(headers)));
  if (!key.ok()) {
    errors = std::move(key).errors();
    return std::nullopt;
  }
  return std::move(key).value();
}

TEST(IdempotencyKey, AbsentIsNoKeyAndNoError) {
  FieldErrors errors;
  EXPECT_EQ(key_of({{"Content-Type", "application/json"}}, errors), std::nullopt);
  EXPECT_TRUE(errors.empty());
}

TEST(IdempotencyKey, AcceptsOneToTwoHundredFiftyFiveVisibleAsciiCharacters) {
  for (const std::string& key :
       {std::string("k"), std::string("018f3c1e-7a2b-7c3d"), std::string(255, 'x'),
        std::string("!\"#$%&'()*+,-./:;<=>?@[]~")}) {
    FieldErrors errors;
    EXPECT_EQ(key_of({{"idempotency-key", key}}, errors), key);  // any case of the name
    EXPECT_TRUE(errors.empty()) << key;
  }
}

TEST(IdempotencyKey, RefusesEmptyLongNonAsciiAndRepeatedKeys) {
  const std::vector<std::vector<std::pair<std::string, std::string>>> cases = {
      {{"Idempotency-Key", ""}},
      {{"Idempotency-Key", std::string(256, 'x')}},
      {{"Idempotency-Key", "two words"}},
      {{"Idempotency-Key", "ctl\x01"}},
      {{"Idempotency-Key", "caf\xc3\xa9"}},
      {{"Idempotency-Key", "a"}, {"Idempotency-Key", "b"}},
  };
  for (const auto& headers : cases) {
    FieldErrors errors;
    EXPECT_EQ(key_of(headers, errors), std::nullopt);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "Idempotency-Key");
  }
}

TEST(IdempotencyKey, ScopeIsTheCallersKeyId) {
  auto request = with_headers({});
  EXPECT_EQ(idempotency_scope(request), "");
  request.principal = http::Principal{"key-123", http::Role::writer};
  EXPECT_EQ(idempotency_scope(request), "key-123");
}

TEST(IdempotencyKey, FingerprintDependsOnRouteAndExactBody) {
  const auto a = idempotency_fingerprint("metrics_batch", R"({"metrics":[]})");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, idempotency_fingerprint("metrics_batch", R"({"metrics":[]})"));
  EXPECT_NE(a, idempotency_fingerprint("metrics_create", R"({"metrics":[]})"));
  EXPECT_NE(a, idempotency_fingerprint("metrics_batch", R"({"metrics": []})"));
  // The separator keeps route and body apart: ("ab", "c") is not ("a", "bc").
  EXPECT_NE(idempotency_fingerprint("ab", "c"), idempotency_fingerprint("a", "bc"));
}

}  // namespace
}  // namespace utxoiq::api
