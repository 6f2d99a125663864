// Every metric the deploy/ kit uses exists in a real /metrics scrape of the service: the names in
// the Grafana dashboard's queries and in every Prometheus rules file (deploy/prometheus/*.yml,
// other areas' rule files included). A renamed or removed metric fails here, not silently in a
// dashboard. Also: the scrape names follow the Prometheus conventions the issue asks for.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

const std::filesystem::path kDeploy = std::filesystem::path(UTXOIQ_SOURCE_DIR) / "deploy";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Our metric names: the service's own prefixes (PromQL functions and labels are not metrics).
std::set<std::string> metric_names_in(const std::string& text) {
  static const std::regex name(R"(\b((?:utxoiq|http)_[a-z0-9_]+))");
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

std::set<std::string> dashboard_names() {
  const auto dashboard = boost::json::parse(read_file(kDeploy / "grafana/utxoiq-store.json"));
  std::string exprs;
  for (const auto& panel : dashboard.at("panels").as_array())
    for (const auto& target : panel.at("targets").as_array())
      exprs += std::string(target.at("expr").as_string()) + "\n";
  return metric_names_in(exprs);
}

std::set<std::string> rule_names() {
  std::set<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(kDeploy / "prometheus")) {
    if (entry.path().extension() != ".yml") continue;
    for (auto& n : metric_names_in(read_file(entry.path()))) out.insert(n);
  }
  return out;
}

std::set<std::string> scraped_names(const std::string& exposition) {
  std::set<std::string> out;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return out;
}

TEST(DeployMetricNames, DashboardAndRulesUseOnlyScrapedMetrics) {
  // A replica (unreachable: down, but exported), so the replica families are in the scrape.
  ServiceUnderTest service({.configure =
                                [](app::ServeConfig& config) {
                                  config.replicas.urls = {
                                      "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"};
                                },
                            .database_url = {}});
  auto client = service.client();
  // Traffic, so the labelled families have children: writes, cached reads, a miss.
  post_ok(client, "/api/v1/feedback/rate", {{"insight_id", "i"}, {"user_id", "u"}, {"rating", 4}},
          201);
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(client.get("/api/v1/feedback/stats?insight_id=i").status, 200);
  ASSERT_EQ(client.get("/no/such/route").status, 404);
  ASSERT_EQ(client
                .post("/api/v1/monitoring/metrics",
                      std::string_view(R"({"service_name":"s","metric_type":"t",)"
                                       R"("metric_value":1,"unit":"u"})"))
                .status,
            201);
  const auto scrape = client.get("/metrics");
  ASSERT_EQ(scrape.status, 200);
  const auto scraped = scraped_names(scrape.body);

  const auto dashboard = dashboard_names();
  const auto rules = rule_names();
  EXPECT_GE(dashboard.size(), 15u);
  EXPECT_GE(rules.size(), 8u);
  for (const auto& name : dashboard) EXPECT_TRUE(scraped.contains(name)) << "dashboard: " << name;
  for (const auto& name : rules) EXPECT_TRUE(scraped.contains(name)) << "rules: " << name;
}

TEST(DeployMetricNames, ScrapedNamesFollowPrometheusConventions) {
  ServiceUnderTest service;
  auto client = service.client();
  ASSERT_EQ(client.get("/api/v1/feedback/stats?insight_id=i").status, 200);
  const auto scrape = client.get("/metrics");
  // Counters end in _total; durations are in seconds (no _ms/_milliseconds), sizes in bytes.
  static const std::regex type_line(R"(# TYPE (\S+) (\S+))");
  std::istringstream lines(scrape.body);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, type_line)) continue;
    const std::string name = m[1].str();
    if (m[2].str() == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
    EXPECT_EQ(name.find("_ms"), std::string::npos) << name;
    EXPECT_EQ(name.find("milliseconds"), std::string::npos) << name;
    EXPECT_EQ(name.find("_kb"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace utxoiq::testing
