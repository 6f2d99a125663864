// The served /openapi.json keeps its contract with clients: it is a valid OpenAPI 3.1 document
// according to a validator that is not ours (@seriousme/openapi-schema-validator, pinned in
// tests/tools/openapi, installed by scripts/setup.sh), and every route accepts the request built
// from its documented examples (path, required query parameters and body): no 400 or 422, and no
// 5xx. 404 and 409 are acceptances: the example ids name no existing job.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::filesystem::path kValidatorDir =
    std::filesystem::path(UTXOIQ_SOURCE_DIR) / "tests" / "tools" / "openapi";

// Runs `command`; its exit status and output (stdout and stderr).
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string example_text(const json::value& example) {
  return example.is_string() ? std::string(example.as_string()) : json::serialize(example);
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// The request target of an operation: path parameters replaced by their examples, required query
// parameters and those with an example appended. Fails the test for a required one without one.
std::string example_target(std::string path, const json::object& operation) {
  std::string query;
  const auto* parameters = operation.if_contains("parameters");
  for (const auto& p : parameters ? parameters->as_array() : json::array{}) {
    const auto& param = p.as_object();
    const std::string name(param.at("name").as_string());
    const auto* example = param.if_contains("example");
    if (param.at("required").as_bool()) {
      EXPECT_NE(example, nullptr) << path << ": required parameter " << name << " has no example";
    }
    if (example == nullptr) continue;
    const std::string value = percent_encode(example_text(*example));
    if (param.at("in") == "path") {
      path.replace(path.find("{" + name + "}"), name.size() + 2, value);
    } else if (param.at("in") == "query") {
      query += (query.empty() ? "?" : "&") + name + "=" + value;
    }
  }
  return path + query;
}

std::string uppercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApiContract, TheServedDocumentIsValidOpenApi31) {
  ASSERT_TRUE(std::filesystem::exists(kValidatorDir / "node_modules"))
      << "the validator is not installed: run scripts/setup.sh (npm ci in " << kValidatorDir << ")";
  ServiceUnderTest service;
  auto client = service.client("");
  const auto response = client.get("/openapi.json");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto file = std::filesystem::temp_directory_path() /
                    ("utxoiq-openapi-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << response.body;
  const auto [status, output] =
      run("node " + (kValidatorDir / "validate.mjs").string() + " " + file.string());
  std::filesystem::remove(file);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("valid OpenAPI 3.1"), std::string::npos) << output;
}

TEST(OpenApiContract, EveryRouteAcceptsItsExample) {
  ServiceUnderTest service;
  auto client = service.client();  // admin: every role
  const auto document = client.get("/openapi.json").json().as_object();
  int sent = 0;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation_value] : item.as_object()) {
      const auto& operation = operation_value.as_object();
      const std::string target = example_target(std::string(path), operation);
      HttpResponse response;
      if (const auto* body = operation.if_contains("requestBody")) {
        const auto* example =
            body->at("content").at("application/json").as_object().if_contains("example");
        ASSERT_NE(example, nullptr) << method << " " << path << " has no request example";
        response = client.request(uppercase(method), target, json::serialize(*example),
                                  {{"Content-Type", "application/json"}});
      } else {
        response = client.request(uppercase(method), target, "");
      }
      ++sent;
      const std::string what = std::string(method) + " " + target + " -> " +
                               std::to_string(response.status) + " " + response.body;
      EXPECT_NE(response.status, 400) << what;
      EXPECT_NE(response.status, 422) << what;
      EXPECT_LT(response.status, 500) << what;
      EXPECT_TRUE(response.status < 300 || response.status == 404 || response.status == 409)
          << what;
      // Every answer the route gave is one its document lists.
      EXPECT_TRUE(operation.at("responses").as_object().contains(std::to_string(response.status)))
          << what << " is not documented";
    }
  }
  EXPECT_GE(sent, 25);
}

}  // namespace
}  // namespace utxoiq::testing
