#include "app/database_target.hpp"

#include <filesystem>

#include "app/embedded_postgres.hpp"

namespace utxoiq::app {

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

std::string DatabaseTarget::describe() const {
  if (embedded_) return "embedded PostgreSQL in " + embedded_->data_dir();
  if (!attached_dir_.empty()) return "running embedded PostgreSQL in " + attached_dir_;
  // Drop "user:password@" so a secret never reaches a log line.
  std::string shown = url_;
  const auto scheme = shown.find("://");
  const auto at = shown.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    shown.erase(scheme + 3, at + 1 - (scheme + 3));
  }
  const auto query = shown.find('?');
  if (query != std::string::npos) shown.erase(query);
  if (scheme == std::string::npos) return "the server of DATABASE_URL";
  return shown;
}

}  // namespace utxoiq::app
