#pragma once
// GET /ui and GET /ui/{asset} (api.md "Health"): the operations dashboard, open (no API key; the
// page itself asks the operator for the admin key and sends it only to the admin routes).
// Served from the files embedded at build time (embedded_ui.hpp) with
//   Content-Security-Policy: default-src 'self'   no inline script or style, nothing from elsewhere
//   ETag (a hash of the content) and Cache-Control: no-cache, so a browser revalidates and gets
//   304 while the binary is the same.
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

class ApiDocs;

inline constexpr std::string_view kUiContentSecurityPolicy =
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The Content-Type for a file name by its extension; nullopt for an extension not served.
std::optional<std::string> ui_content_type(std::string_view name);

// True when an If-None-Match header value ("*", or a list of entity tags, weak or strong) matches
// `etag` (a quoted strong tag).
bool if_none_match_matches(std::string_view header, std::string_view etag);

void add_ui_routes(http::Router& router, ApiDocs& docs);

}  // namespace utxoiq::api
