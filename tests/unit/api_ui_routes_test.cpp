// GET /ui and /ui/{asset} through the router: open routes, every file with its Content-Type, the
// Content-Security-Policy of self only, an ETag that If-None-Match turns into 304, 404 for a file
// that is not embedded. The page itself is tested in a browser (tests/browser/dashboard_test.py).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "api/api_docs.hpp"
#include "api/embedded_ui.hpp"
#include "api/ui_routes.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "support/run_task.hpp"

namespace utxoiq {
namespace {

class UiRoutes : public ::testing::Test {
 protected:
  UiRoutes() { api::add_ui_routes(router_, docs_); }

  // The route's answer; a Problem it throws (404) propagates.
  http::Response get(std::string_view target, std::string if_none_match = {}) {
    http::Request request = http::make_request(http::Method::get, target);
    if (!if_none_match.empty()) request.headers.add("If-None-Match", std::move(if_none_match));
    const http::RouteMatch match = router_.match(http::Method::get, request.path);
    if (match.route == nullptr) throw std::logic_error("no route for " + std::string(target));
    EXPECT_FALSE(match.route->options.min_role.has_value()) << "the dashboard's files are open";
    request.route = match.route;
    request.path_params = match.params;
    return testing::run_task(io_, match.route->handler(request));
  }

  boost::asio::io_context io_;
  http::Router router_;
  api::ApiDocs docs_;
};

TEST_F(UiRoutes, ServesThePageWithItsSecurityHeaders) {
  const http::Response page = get("/ui");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/ui/app.js"), std::string::npos);
  EXPECT_EQ(page.headers.get("Content-Security-Policy").value_or(""),
            api::kUiContentSecurityPolicy);
  EXPECT_TRUE(page.headers.get("Content-Security-Policy")->starts_with("default-src 'self'"));
  EXPECT_EQ(page.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(page.headers.get("Cache-Control").value_or(""), "no-cache");
}

TEST_F(UiRoutes, EveryEmbeddedFileIsServedWithItsType) {
  ASSERT_GE(api::embedded_ui_files().size(), 4u);
  bool chart_js = false;
  for (const auto& file : api::embedded_ui_files()) {
    const http::Response response = get("/ui/" + std::string(file.name));
    EXPECT_EQ(response.status, 200) << file.name;
    EXPECT_EQ(response.body, file.content) << file.name;
    EXPECT_EQ(response.content_type, api::ui_content_type(file.name).value_or("?")) << file.name;
    chart_js = chart_js || file.name == "chart.js";
  }
  EXPECT_TRUE(chart_js) << "Chart.js from libjs-chart.js is embedded";
  EXPECT_EQ(get("/ui/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/ui/app.css").content_type, "text/css; charset=utf-8");
}

TEST_F(UiRoutes, TheEtagTurnsARepeatedRequestInto304) {
  const http::Response first = get("/ui/app.js");
  const std::string etag(first.headers.get("ETag").value_or(""));
  ASSERT_EQ(etag.size(), 34u);
  const http::Response again = get("/ui/app.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.get("ETag").value_or(""), etag);
  EXPECT_EQ(get("/ui/app.js", "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(get("/ui/app.js", "*").status, 304);
  EXPECT_EQ(get("/ui/app.js", "\"other\"").status, 200);
  EXPECT_NE(get("/ui/app.css").headers.get("ETag").value_or(""), etag);
}

TEST_F(UiRoutes, AFileThatIsNotEmbeddedIs404) {
  for (const auto* target : {"/ui/missing.js", "/ui/index.htm"}) {
    try {
      get(target);
      ADD_FAILURE() << target << " was served";
    } catch (const http::Problem& problem) {
      EXPECT_EQ(problem.status(), 404) << target;
    }
  }
}

TEST(UiContentTypes, OnlyTheServedExtensionsHaveOne) {
  EXPECT_EQ(api::ui_content_type("icon.svg").value_or(""), "image/svg+xml");
  EXPECT_FALSE(api::ui_content_type("notes.txt").has_value());
  EXPECT_FALSE(api::ui_content_type("Makefile").has_value());
}

TEST(IfNoneMatch, ComparesListsWeaklyAndIgnoresOtherTags) {
  EXPECT_TRUE(api::if_none_match_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(api::if_none_match_matches(" \"b\" ,\t\"a\" ", "\"a\""));
  EXPECT_TRUE(api::if_none_match_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(api::if_none_match_matches("*", "\"a\""));
  EXPECT_FALSE(api::if_none_match_matches("\"ab\"", "\"a\""));
  EXPECT_FALSE(api::if_none_match_matches("a", "\"a\""));
  EXPECT_FALSE(api::if_none_match_matches("", "\"a\""));
}

}  // namespace
}  // namespace utxoiq
