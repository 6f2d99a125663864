#pragma once
// Where retention archives go. An interface so that object storage can be added next to the
// directory (ops/directory_archive_sink.hpp). The contract every sink keeps: put() returns only
// once the object is durable under its final name (never visible half-written), get() returns
// the bytes as stored now (the read-back that proves an archive before rows are deleted), and
// remove() of a missing object is not an error.
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::ops {

class ArchiveSink {
 public:
  virtual ~ArchiveSink() = default;
  // `name` is a relative path of '/'-separated segments ("system_metrics/12-1.jsonl.zst").
  virtual void put(const std::string& name, std::string_view bytes) = 0;
  virtual std::string get(const std::string& name) = 0;  // throws when missing or unreadable
  virtual void remove(const std::string& name) = 0;
  // Where the object is, for the audit trail ("file:///var/archive/...").
  virtual std::string uri(const std::string& name) const = 0;
};

}  // namespace utxoiq::ops
