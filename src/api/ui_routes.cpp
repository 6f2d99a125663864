// The dashboard's files (see ui_routes.hpp). Each file's ETag and Content-Type are computed once,
// when the routes are added; a request is a map lookup.
#include "api/ui_routes.hpp"

#include <cassert>
#include <map>
#include <memory>

#include "api/api_docs.hpp"
#include "api/embedded_ui.hpp"
#include "api/route_table.hpp"
#include "http/problem.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "util/sha256.hpp"

namespace utxoiq::api {
namespace {

struct UiFile {
  std::string_view content;
  std::string content_type;
  std::string etag;
};

using UiFiles = std::map<std::string, UiFile, std::less<>>;

std::string_view extension(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::shared_ptr<const UiFiles> load_files() {
  auto files = std::make_shared<UiFiles>();
  for (const EmbeddedUiFile& file : embedded_ui_files()) {
    const auto type = ui_content_type(file.name);
    assert(type && "cmake/ui_assets.cmake embeds only .html, .css, .js and .svg files");
    // 128 bits of the SHA-256: enough to tell two builds' files apart.
    const std::string etag = "\"" + sha256_hex(file.content).substr(0, 32) + "\"";
    files->emplace(std::string(file.name), UiFile{file.content, type.value_or(""), etag});
  }
  assert(files->contains("index.html"));
  return files;
}

http::Response serve(const UiFile& file, const http::Request& request) {
  http::Response response;
  response.headers.set("ETag", file.etag);
  response.headers.set("Cache-Control", "no-cache");
  response.headers.set("Content-Security-Policy", std::string(kUiContentSecurityPolicy));
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  const auto if_none_match = request.header("If-None-Match");
  if (if_none_match && if_none_match_matches(*if_none_match, file.etag)) {
    response.status = 304;
    return response;
  }
  response.content_type = file.content_type;
  response.body = std::string(file.content);
  return response;
}

}  // namespace

std::optional<std::string> ui_content_type(std::string_view name) {
  const std::string_view ext = extension(name);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  return std::nullopt;
}

bool if_none_match_matches(std::string_view header, std::string_view etag) {
  assert(etag.size() >= 2 && etag.front() == '"' && etag.back() == '"');
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison (RFC 9110 §13.1.2)
    if (tag == etag) return true;
  }
  return false;
}

void add_ui_routes(http::Router& router, ApiDocs& docs) {
  const std::shared_ptr<const UiFiles> files = load_files();
  add_routes(
      router, docs,
      {{.method = Method::get,
        .path = "/ui",
        .name = "ui",
        .access = kOpen,
        .doc = {.summary = "The operations dashboard (HTML, open)",
                .description = "Reads the admin routes with the admin key the operator types "
                               "in; kept in the tab's session storage only.",
                .replies = {{.description = "The page", .content_type = "text/html"}}},
        .handler = [files](Request& request) -> Task<Response> {
          co_return serve(files->at("index.html"), request);
        }},
       {.method = Method::get,
        .path = "/ui/{asset}",
        .name = "ui_asset",
        .access = kOpen,
        .doc = {.summary = "A file of the dashboard (script, style sheet, Chart.js)",
                .path = {{.name = "asset", .required = true, .example = "app.css"}},
                .replies = {{.description = "The file", .content_type = "text/plain"}},
                .problems = {404}},
        .handler = [files](Request& request) -> Task<Response> {
          const auto found = files->find(request.param("asset"));
          if (found == files->end()) throw http::not_found("No such dashboard file.");
          co_return serve(found->second, request);
        }}});
}

}  // namespace utxoiq::api
