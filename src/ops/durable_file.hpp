#pragma once
// Files that survive a power cut the moment we report them written: data fsynced, then renamed from
// a temporary name into place, then the directory fsynced (so the rename itself is durable). A
// reader never sees a half-written file under its final name. Blocking.
#include <filesystem>
#include <string>

namespace utxoiq::ops {

// fsync of a file or a directory; throws std::runtime_error naming the path.
void fsync_path(const std::filesystem::path& path);
// rename(from, to) and fsync of to's directory.
void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to);
// Copies `source` to `target` through `target`'s temporary sibling, durably (see above).
void durable_copy(const std::filesystem::path& source, const std::filesystem::path& target);
// SHA-256 of a file's bytes, read in blocks (64 lowercase hex characters).
std::string sha256_of_file(const std::filesystem::path& path);
// The temporary sibling a file is written under before its rename: ".NAME.partial".
std::filesystem::path partial_path(const std::filesystem::path& target);

}  // namespace utxoiq::ops
