#pragma once
// The read-your-writes tokens one instance knows (host_router.hpp): per API key, a WAL position
// at or after the commit of the key's last write. Two sources: this instance's own writes
// (record, record_unknown, ReplicaSet::record_write) and the other instances' writes heard on the
// token feed (learn, app/ryw_token_feed.hpp).
//
// Merged as the maximum per key: positions only grow and a key's reads must wait for its newest
// write, so the order in which tokens arrive (own and learned, or two writes of one key finishing
// out of order) never moves a key's token back. One exception: a write whose position could not be
// read makes the key "unknown" (kUnknownToken, which no replica reaches: its reads go to the
// primary) until this instance records a position for the key's next write; learned tokens do not
// end it (they may be older than the write whose position is unknown). The next recorded position
// is read after that write's commit, so it is past every token heard before it.
//
// One thread (the I/O thread, like ReplicaSet). Not bounded: one entry per API key that wrote.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "pg/lsn.hpp"

namespace utxoiq::pg {

inline constexpr Lsn kUnknownToken{~std::uint64_t{0}};

class RywTokens {
 public:
  void record(const std::string& key, Lsn lsn);  // this instance's write, position read after it
  void record_unknown(const std::string& key);   // this instance's write, position not read
  void learn(const std::string& key, Lsn lsn);   // another instance's write

  std::optional<Lsn> token(const std::string& key) const;
  std::size_t size() const { return tokens_.size(); }

 private:
  std::unordered_map<std::string, Lsn> tokens_;
};

}  // namespace utxoiq::pg
