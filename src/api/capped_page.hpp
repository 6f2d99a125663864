#pragma once
// The one rule for the size of a list page (issue 10): a page's items stop at the first one that
// brings the page's text to kMaxPageBytes, and next_cursor then continues after that item (the
// key the store's keyset cursor would hold), so a client reading every page still gets every item
// once, and no response page costs the event loop more than about this many bytes to build. A
// page always shows at least one item. Used by every list route (metrics, metric series,
// feedback, backfill).
#include <algorithm>
#include <boost/json/object.hpp>
#include <cassert>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "domain/cursor.hpp"
#include "domain/series_cursor.hpp"

namespace utxoiq::api {

inline constexpr std::size_t kMaxPageBytes = 4 * 1024 * 1024;

// Builds a page's text item by item.
class CappedPage {
 public:
  CappedPage(std::string_view member, std::size_t max_bytes, std::size_t expected_bytes);

  // Whether the next item still goes on this page (always for the first one).
  bool room() const { return items_ == 0 || out_.size() < max_bytes_; }
  // The text so far, for appending one item; call next_item() first.
  std::string& next_item();
  // The whole body, {"<member>":[...],"next_cursor":...}, with `next_cursor` the encoded cursor
  // text (null on the last page).
  std::string finish(const std::optional<std::string>& next_cursor);

 private:
  std::string out_;
  std::size_t max_bytes_;
  std::size_t items_ = 0;
};

// {"<member>": [...], "next_cursor": ...} of a store page (`items`, `next`) under the cap.
// `append(out, item)` writes an item's JSON text; `key_of(item)` gives its cursor, of the type of
// the store's `next` (a domain::KeysetCursor, or a domain::SeriesCursor for the series list),
// written by the domain's encode_cursor for that type. A cut page's next_cursor is the key of its
// last item shown; an uncut page's is the store's.
template <typename Item, typename Append, typename KeyOf>
std::string render_capped_page(std::string_view member, const std::vector<Item>& items,
                               const std::optional<std::invoke_result_t<KeyOf&, const Item&>>& next,
                               Append append, KeyOf key_of, std::size_t max_bytes = kMaxPageBytes,
                               std::size_t bytes_per_item = 256) {
  CappedPage page(member, max_bytes, std::min(max_bytes, items.size() * bytes_per_item));
  std::size_t i = 0;
  for (; i < items.size() && page.room(); ++i) append(page.next_item(), items[i]);
  std::optional<std::string> next_cursor;
  if (i < items.size()) {
    assert(i > 0 && "the first item always goes on the page");
    next_cursor = domain::encode_cursor(key_of(items[i - 1]));
  } else if (next) {
    next_cursor = domain::encode_cursor(*next);
  }
  return page.finish(next_cursor);
}

// One object's JSON text appended to `out`, as http::json_response would write it.
void append_object(std::string& out, const boost::json::object& object);

}  // namespace utxoiq::api
