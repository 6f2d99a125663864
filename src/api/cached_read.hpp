#pragma once
// The one way a cached reader sits in front of a store: an `api/cached_<resource>.cpp` class holds
// the store interface and the cache set, answers each cacheable read with read_through, and gives
// the store an `invalidator()` write listener that drops the entries a write changed.
//
//   Task<std::optional<std::string>> CachedWidgets::widget_json(const std::string& id) {
//     return read_through(caches_.widgets(), cache::widget_key(id), [this, id] {
//       return CacheMiss{.load = [db = &database_, id]() -> Task<std::optional<std::string>> {
//                          const auto widget = co_await db->get(id);
//                          if (!widget) co_return std::nullopt;
//                          co_return to_json_text(domain::to_json(*widget));
//                        },
//                        .tags = {cache::widget_tag(id)}};
//     });
//   }
//
// and the handler answers the text as it is: http::json_text_response(200, std::move(*text)).
//
// The rules, all of them the named cache's (two_level_cache.hpp), none chosen per read:
//  - the entry is the JSON text of the answer, so a hit is sent without parsing or rendering;
//  - the named cache sets the TTL: a read states no TTL of its own;
//  - a loader's nullopt ("not found") is answered and never cached, so a thing created later is
//    found at once; a loader that throws caches nothing and its exception reaches the handler;
//  - a hit costs one L1 lookup: `describe_miss` (which builds the loader and the tags, and so
//    allocates) is called only on a miss.
// The loader may run again later as a background refresh: it owns copies of what it uses.
#include <concepts>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cache/two_level_cache.hpp"
#include "util/task.hpp"

namespace utxoiq::api {

// How to answer a miss: the loader (the JSON text, nullopt for "not found") and the tags that
// drop the entry (cache_keys.hpp); the same tags for every read of the key.
struct CacheMiss {
  cache::TwoLevelCache::Loader load;
  std::vector<std::string> tags;
};

// The JSON text under `key` in `cache`: from L1, L2 or the loader; nullopt when the loader found
// nothing. Throws what the loader throws.
template <typename DescribeMiss>
requires std::same_as<std::invoke_result_t<DescribeMiss&>, CacheMiss>
    Task<std::optional<std::string>> read_through(cache::TwoLevelCache& cache, std::string key,
                                                  DescribeMiss describe_miss) {
  if (const auto hit = cache.fresh_hit(key)) co_return **hit;
  CacheMiss miss = describe_miss();
  const auto loaded =
      co_await cache.get_or_load(std::move(key), std::move(miss.load), std::move(miss.tags));
  if (!loaded) co_return std::nullopt;
  co_return **loaded;
}

}  // namespace utxoiq::api
