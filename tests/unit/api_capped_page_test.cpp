// The size rule of every list page: items stop at the first one that brings the text to the cap,
// next_cursor then continues after the last item shown (whatever the store's cursor was), a page
// always shows one item, and a page under the cap is the store's page unchanged.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "api/capped_page.hpp"

namespace utxoiq::api {
namespace {

struct Item {
  int n = 0;
  std::string text;
};

domain::KeysetCursor key(int n) {
  return domain::KeysetCursor{domain::CursorKind::feedback, Timestamp{std::chrono::seconds(n)},
                              Uuid{}};
}

std::string render(const std::vector<Item>& items, const std::optional<domain::KeysetCursor>& next,
                   std::size_t cap) {
  return render_capped_page(
      "items", items, next,
      [](std::string& out, const Item& item) {
        append_object(out, boost::json::object{{"n", item.n}, {"text", item.text}});
      },
      [](const Item& item) { return key(item.n); }, cap);
}

std::vector<Item> items(int count, std::size_t text_bytes) {
  std::vector<Item> out;
  for (int i = 1; i <= count; ++i) out.push_back({i, std::string(text_bytes, 'x')});
  return out;
}

TEST(CappedPage, APageUnderTheCapIsTheStoresPage) {
  const auto parsed = boost::json::parse(render(items(3, 10), key(99), 1 << 20)).as_object();
  EXPECT_EQ(parsed.at("items").as_array().size(), 3u);
  EXPECT_EQ(parsed.at("next_cursor").as_string(), domain::encode_cursor(key(99)));
  const auto last = boost::json::parse(render(items(3, 10), std::nullopt, 1 << 20)).as_object();
  EXPECT_TRUE(last.at("next_cursor").is_null());
}

TEST(CappedPage, APageIsCutAtTheItemThatReachesTheCapAndGoesOnAfterIt) {
  // Each item is about 1,020 bytes: the cap of 3,000 is reached by the third.
  const std::string text = render(items(10, 1000), std::nullopt, 3000);
  const auto parsed = boost::json::parse(text).as_object();
  const auto& shown = parsed.at("items").as_array();
  ASSERT_EQ(shown.size(), 3u);
  EXPECT_EQ(shown.back().at("n").as_int64(), 3);
  EXPECT_EQ(parsed.at("next_cursor").as_string(), domain::encode_cursor(key(3)));
  EXPECT_LT(text.size(), 3000u + 1100u);
}

TEST(CappedPage, OneItemOverTheCapIsStillShown) {
  const auto parsed = boost::json::parse(render(items(2, 5000), std::nullopt, 100)).as_object();
  ASSERT_EQ(parsed.at("items").as_array().size(), 1u);
  EXPECT_EQ(parsed.at("next_cursor").as_string(), domain::encode_cursor(key(1)));
}

TEST(CappedPage, ItemsAreWrittenAsJsonResponseWritesThem) {
  const std::string text = render_capped_page(
      "items", std::vector<double>{4.5, 50.0}, std::nullopt,
      [](std::string& out, double x) {
        append_object(out, boost::json::object{{"x", x}});
      },
      [](double) { return key(0); }, 1 << 20);
  EXPECT_EQ(text, R"({"items":[{"x":4.5},{"x":50.0}],"next_cursor":null})");
}

TEST(CappedPage, AnEmptyPage) {
  EXPECT_EQ(render({}, std::nullopt, 100), R"({"items":[],"next_cursor":null})");
}

}  // namespace
}  // namespace utxoiq::api
