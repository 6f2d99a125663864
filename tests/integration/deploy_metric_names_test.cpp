// Every metric the deploy/ kit uses exists in a real /metrics scrape of the service: the names in
// the Grafana dashboard's queries and in every Prometheus rules file (deploy/prometheus/*.yml,
// other areas' rule files included). A renamed or removed metric fails here, not silently in a
// dashboard. Also: every family of the scrape follows the Prometheus naming conventions (counters
// _total, base units, duration histograms _seconds).
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
  const auto scraped = scraped_names(scrape_after_traffic(client));

  const auto dashboard = dashboard_names();
  const auto rules = rule_names();
  EXPECT_GE(dashboard.size(), 15u);
  EXPECT_GE(rules.size(), 8u);
  for (const auto& name : dashboard) EXPECT_TRUE(scraped.contains(name)) << "dashboard: " << name;
  for (const auto& name : rules) EXPECT_TRUE(scraped.contains(name)) << "rules: " << name;
}

// Why `name` of a family of `type` breaks the Prometheus naming conventions, or empty: counters
// end in _total and nothing else does; base units only (seconds, bytes: no _ms, milliseconds,
// _kb, ...); a histogram is of durations and ends in _seconds (or of sizes, in _bytes); a gauge
// of a time or a duration says _seconds.
std::string convention_broken(const std::string& name, const std::string& type) {
  static const std::regex scaled_unit(
      R"(_(ms|us|ns|millis|milliseconds|microseconds|nanoseconds|minutes|hours|days|kb|mb|gb|kib|mib|gib|kilobytes|megabytes|percent)(_|$))");
  static const std::regex time_like(R"((duration|latency|timestamp|_age|_lag|uptime)(_|$))");
  if (type == "counter" && !name.ends_with("_total")) return "counter without _total";
  if (type != "counter" && name.ends_with("_total")) return type + " ending in _total";
  if (std::regex_search(name, scaled_unit)) return "a unit that is not a base unit";
  if (type == "histogram" && !name.ends_with("_seconds") && !name.ends_with("_bytes"))
    return "histogram not in _seconds or _bytes";
  if (type == "gauge" && std::regex_search(name, time_like) &&
      name.find("_seconds") == std::string::npos)
    return "time gauge not in _seconds";
  return {};
}

TEST(DeployMetricNames, ConventionCheckRefusesBadNames) {
  EXPECT_NE(convention_broken("utxoiq_requests", "counter"), "");
  EXPECT_NE(convention_broken("utxoiq_pool_size_total", "gauge"), "");
  EXPECT_NE(convention_broken("utxoiq_wait_ms_total", "counter"), "");
  EXPECT_NE(convention_broken("utxoiq_request_duration_milliseconds", "histogram"), "");
  EXPECT_NE(convention_broken("utxoiq_request_duration", "histogram"), "");
  EXPECT_NE(convention_broken("utxoiq_replica_lag", "gauge"), "");
  EXPECT_NE(convention_broken("utxoiq_body_kb", "gauge"), "");
  EXPECT_EQ(convention_broken("utxoiq_db_statement_duration_seconds", "histogram"), "");
  EXPECT_EQ(convention_broken("utxoiq_db_pool_acquire_wait_seconds_total", "counter"), "");
  EXPECT_EQ(convention_broken("utxoiq_backup_last_success_timestamp_seconds", "gauge"), "");
}

TEST(DeployMetricNames, EveryScrapedFamilyFollowsPrometheusConventions) {
  ServiceUnderTest service;
  auto client = service.client();
  const std::string scrape = scrape_after_traffic(client);
  static const std::regex type_line(R"(# TYPE (\S+) (\S+))");
  std::istringstream lines(scrape);
  int families = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, type_line)) continue;
    ++families;
    EXPECT_EQ(convention_broken(m[1].str(), m[2].str()), "") << m[1].str() << " " << m[2].str();
  }
  EXPECT_GE(families, 40);  // the whole scrape was checked, not an empty one
}

}  // namespace
}  // namespace utxoiq::testing
