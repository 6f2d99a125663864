// Building PQconnectStartParams arguments; see conninfo.hpp.
#include "pg/conninfo.hpp"

#include <libpq-fe.h>

#include <memory>

#include "pg/errors.hpp"

namespace utxoiq::pg {

namespace {

void set_if_absent(ConnectParams& params, const char* keyword, std::string value) {
  for (const auto& existing : params.keywords)
    if (existing == keyword) return;
  params.keywords.emplace_back(keyword);
  params.values.push_back(std::move(value));
}

}  // namespace

std::vector<const char*> ConnectParams::keyword_pointers() const {
  std::vector<const char*> out;
  for (const auto& k : keywords) out.push_back(k.c_str());
  out.push_back(nullptr);
  return out;
}

std::vector<const char*> ConnectParams::value_pointers() const {
  std::vector<const char*> out;
  for (const auto& v : values) out.push_back(v.c_str());
  out.push_back(nullptr);
  return out;
}

std::string ConnectParams::value_of(std::string_view keyword) const {
  for (std::size_t i = 0; i < keywords.size(); ++i)
    if (keywords[i] == keyword) return values[i];
  return {};
}

ConnectParams build_connect_params(std::string_view conninfo, const SessionSettings& settings) {
  char* error = nullptr;
  const std::string text(conninfo);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(
      PQconninfoParse(text.c_str(), &error), &PQconninfoFree);
  if (!parsed) {
    // libpq's message can quote pieces of the string (which may hold a password): not repeated.
    if (error) PQfreemem(error);
    throw ConnectionError("invalid PostgreSQL connection string (libpq cannot parse it)");
  }

  ConnectParams params;
  std::string user_options;
  for (const PQconninfoOption* option = parsed.get(); option->keyword; ++option) {
    if (!option->val) continue;
    if (std::string_view(option->keyword) == "options") {
      user_options = option->val;
      continue;
    }
    params.keywords.emplace_back(option->keyword);
    params.values.emplace_back(option->val);
  }

  std::string options = "-c TimeZone=UTC -c DateStyle=ISO";
  if (settings.statement_timeout_ms > 0)
    options += " -c statement_timeout=" + std::to_string(settings.statement_timeout_ms);
  if (!user_options.empty()) options += " " + user_options;
  params.keywords.emplace_back("options");
  params.values.push_back(std::move(options));

  if (!settings.application_name.empty())
    set_if_absent(params, "application_name", settings.application_name);
  set_if_absent(params, "keepalives_idle", "30");
  set_if_absent(params, "keepalives_interval", "10");
  set_if_absent(params, "keepalives_count", "3");
  return params;
}

}  // namespace utxoiq::pg
