#include "app/database_target.hpp"

#include <algorithm>
#include <filesystem>

#include "app/embedded_postgres.hpp"

namespace utxoiq::app {

namespace {

constexpr std::string_view kUnreadable = "(unreadable connection string)";

std::string redact_uri(std::string_view url, std::size_t scheme_end) {
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));  // the query and fragment may hold secrets
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return std::string(url.substr(0, scheme_end + 3)) + std::string(rest);
}

// One value of a keyword conninfo string: 'quoted' (with \\ and \' escapes) or bare.
bool read_value(std::string_view& text, std::string& value) {
  value.clear();
  if (!text.empty() && text.front() == '\'') {
    for (std::size_t i = 1; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) {
        value += text[++i];
      } else if (text[i] == '\'') {
        text.remove_prefix(i + 1);
        return true;
      } else {
        value += text[i];
      }
    }
    return false;  // no closing quote
  }
  const auto end = text.find_first_of(" \t\n\r");
  value = std::string(text.substr(0, end));
  text.remove_prefix(end == std::string_view::npos ? text.size() : end);
  return true;
}

std::string redact_keywords(std::string_view text) {
  std::string shown;
  for (;;) {
    const auto start = text.find_first_not_of(" \t\n\r");
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) return std::string(kUnreadable);
    std::string_view keyword = text.substr(0, equals);
    keyword = keyword.substr(0, keyword.find_first_of(" \t"));
    text.remove_prefix(equals + 1);
    text.remove_prefix(std::min(text.find_first_not_of(" \t"), text.size()));
    std::string value;
    if (!read_value(text, value)) return std::string(kUnreadable);
    if (keyword == "host" || keyword == "hostaddr" || keyword == "port" || keyword == "dbname") {
      shown += (shown.empty() ? "" : " ") + std::string(keyword) + "=" + value;
    }
  }
  return shown.empty() ? std::string(kUnreadable) : shown;
}

}  // namespace

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos &&
      url.substr(0, scheme_end).find_first_of(" =") == std::string_view::npos) {
    return redact_uri(url, scheme_end);
  }
  return redact_keywords(url);
}

std::string data_subdir(const DatabaseOptions& options, const std::string& name) {
  return (std::filesystem::absolute(options.data_dir) / name).lexically_normal().string();
}

DatabaseTarget::DatabaseTarget(const DatabaseOptions& options) {
  if (!options.database_url.empty()) {
    url_ = options.database_url;
    return;
  }
  EmbeddedPostgresOptions embedded;
  embedded.data_dir = data_subdir(options, "postgres");
  // Another process of ours (a running `serve`) already runs this cluster: use it, leave it be.
  if (const int port = running_postmaster_port(embedded.data_dir); port != 0) {
    url_ = embedded_url(port, embedded.database, embedded.data_dir);
    attached_dir_ = embedded.data_dir;
    attached_port_ = port;
    return;
  }
  std::filesystem::create_directories(std::filesystem::absolute(options.data_dir));
  embedded_ = std::make_unique<EmbeddedPostgres>(embedded);
  try {
    embedded_->start();
  } catch (const std::exception& e) {
    throw EmbeddedStartError(std::string("embedded PostgreSQL did not start: ") + e.what());
  }
  url_ = embedded_->url();
}

DatabaseTarget::~DatabaseTarget() = default;

std::string DatabaseTarget::embedded_data_dir() const {
  return embedded_ ? embedded_->data_dir() : attached_dir_;
}

int DatabaseTarget::embedded_port() const {
  return embedded_ ? embedded_->port() : attached_port_;
}

std::string DatabaseTarget::describe() const {
  if (embedded_) return "embedded PostgreSQL in " + embedded_->data_dir();
  if (!attached_dir_.empty()) return "running embedded PostgreSQL in " + attached_dir_;
  return redact_url(url_);
}

}  // namespace utxoiq::app
