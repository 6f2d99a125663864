#pragma once
// The archive sink on a local directory (`--archive-dir`). put() writes a temporary file in the
// target directory, fsyncs it, renames it to its name and fsyncs the directory, so after a crash
// the name holds either nothing or the whole object, never part of it.
#include <filesystem>

#include "ops/archive_sink.hpp"

namespace utxoiq::ops {

class DirectoryArchiveSink final : public ArchiveSink {
 public:
  explicit DirectoryArchiveSink(std::filesystem::path root);  // created when missing

  void put(const std::string& name, std::string_view bytes) override;
  std::string get(const std::string& name) override;
  void remove(const std::string& name) override;
  std::string uri(const std::string& name) const override;

  std::filesystem::path path_of(const std::string& name) const;

 private:
  std::filesystem::path root_;
};

}  // namespace utxoiq::ops
