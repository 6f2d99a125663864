#pragma once
// Turns the configured connection string (URI or key=value) plus our session settings into the
// keyword/value arrays of PQconnectStartParams. Session settings travel in the startup packet
// ("options=-c ..."), so a new connection needs no extra round trip for them.
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::pg {

struct SessionSettings {
  int statement_timeout_ms = 5000;  // 0 = no server-side statement timeout
  std::string application_name = "utxoiq-store";
};

struct ConnectParams {
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  // Null-terminated pointer arrays into the strings above, as libpq wants them.
  std::vector<const char*> keyword_pointers() const;
  std::vector<const char*> value_pointers() const;
  std::string value_of(std::string_view keyword) const;  // "" when absent
};

// Throws ConnectionError when libpq cannot parse the string. Settings given in the string win:
// its application_name is kept and its own `options` come after ours (the last -c wins).
// Adds TimeZone=UTC and DateStyle=ISO (results are parsed as UTC ISO text) and TCP keepalives
// (so a vanished server is noticed in about a minute instead of the kernel's two hours).
ConnectParams build_connect_params(std::string_view conninfo, const SessionSettings& settings);

}  // namespace utxoiq::pg
