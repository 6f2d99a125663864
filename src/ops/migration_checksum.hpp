#pragma once
// The checksum that ties an applied migration to its file: SHA-256 of the up file's text,
// normalized so that editors and checkouts (CRLF line endings, trailing blanks, a missing or extra
// final newline) do not count as a change, while any change to the SQL itself does.
#include <string>
#include <string_view>

namespace utxoiq::ops {

// CRLF and lone CR become LF, trailing spaces/tabs (and \f, \v) are cut from every line, and
// trailing empty lines are dropped; the result has no final newline.
std::string normalize_migration_text(std::string_view text);

// sha256_hex(normalize_migration_text(text)): 64 lowercase hex characters.
std::string migration_checksum(std::string_view text);

}  // namespace utxoiq::ops
