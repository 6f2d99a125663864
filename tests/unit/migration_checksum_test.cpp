// Checksums of migration files: editor noise (line endings, trailing blanks, final newlines) must
// not change them, any change of the SQL must. Also the SHA-256 they are built on.
#include "ops/migration_checksum.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "util/sha256.hpp"

namespace utxoiq::ops {
namespace {

constexpr std::string_view kSql =
    "-- a migration\n"
    "CREATE TABLE t (\n"
    "  id integer PRIMARY KEY\n"
    ");\n";

TEST(Sha256, MatchesPublishedTestVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, TheOneShotFormGivesTheSameDigestEveryCallAndOnEveryThread) {
  // sha256_hex reuses one context per thread: no call may see a previous one's data.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
  std::string on_other_thread;
  std::thread([&] { on_other_thread = sha256_hex("abc"); }).join();
  EXPECT_EQ(on_other_thread, sha256_hex("abc"));
}

TEST(Sha256, IncrementalEqualsOneShotAndResetsAfterFinish) {
  Sha256 hash;
  hash.update("ab");
  hash.update("");
  hash.update("c");
  EXPECT_EQ(hash.finish_hex(), sha256_hex("abc"));
  hash.update("abc");
  EXPECT_EQ(hash.finish_hex(), sha256_hex("abc"));
}

TEST(NormalizeMigrationText, TurnsLineEndingsIntoLfAndCutsTrailingBlanks) {
  EXPECT_EQ(normalize_migration_text("a \r\nb\t\r\n\r\n"), "a\nb");
  EXPECT_EQ(normalize_migration_text("a\rb\r"), "a\nb");
  EXPECT_EQ(normalize_migration_text("a\r\r\nb"), "a\n\nb");  // CR, then CRLF: two breaks
  EXPECT_EQ(normalize_migration_text("  indented  \n\n\n \t \n"), "  indented");
  EXPECT_EQ(normalize_migration_text("a\n\n b"), "a\n\n b");  // inner blank line and indent stay
  EXPECT_EQ(normalize_migration_text(""), "");
  EXPECT_EQ(normalize_migration_text(" \n\r\n\t"), "");
}

TEST(MigrationChecksum, IsSha256OfTheNormalizedText) {
  EXPECT_EQ(migration_checksum("abc\r\n\n"), sha256_hex("abc"));
  EXPECT_EQ(migration_checksum(kSql), sha256_hex(normalize_migration_text(kSql)));
}

TEST(MigrationChecksum, IgnoresCrlfLineEndings) {
  EXPECT_EQ(migration_checksum(kSql),
            migration_checksum("-- a migration\r\nCREATE TABLE t (\r\n  id integer PRIMARY KEY\r\n"
                               ");\r\n"));
}

TEST(MigrationChecksum, IgnoresOldMacLineEndings) {
  EXPECT_EQ(migration_checksum(kSql),
            migration_checksum("-- a migration\rCREATE TABLE t (\r  id integer PRIMARY KEY\r);\r"));
}

TEST(MigrationChecksum, IgnoresTrailingSpacesAndTabsOnLines) {
  EXPECT_EQ(migration_checksum(kSql),
            migration_checksum("-- a migration   \nCREATE TABLE t (\t\n  id integer PRIMARY KEY \t "
                               "\n); \n"));
}

TEST(MigrationChecksum, IgnoresMissingOrExtraFinalNewlines) {
  EXPECT_EQ(migration_checksum(kSql),
            migration_checksum("-- a migration\nCREATE TABLE t (\n  id integer PRIMARY KEY\n);"));
  EXPECT_EQ(migration_checksum(kSql), migration_checksum(std::string(kSql) + "\n\n  \n\t\n"));
}

TEST(MigrationChecksum, ChangesWithAnyChangeOfTheSql) {
  const std::string original = migration_checksum(kSql);
  EXPECT_NE(original, migration_checksum("-- a migration\nCREATE TABLE t (\n  id bigint PRIMARY "
                                         "KEY\n);\n"));
  EXPECT_NE(original, migration_checksum("-- a migration\nCREATE TABLE u (\n  id integer PRIMARY "
                                         "KEY\n);\n"));
  // Indentation, a blank line inside the text and a comment are part of the file.
  EXPECT_NE(original, migration_checksum("-- a migration\nCREATE TABLE t (\nid integer PRIMARY "
                                         "KEY\n);\n"));
  EXPECT_NE(original, migration_checksum("-- a migration\n\nCREATE TABLE t (\n  id integer "
                                         "PRIMARY KEY\n);\n"));
  EXPECT_NE(original, migration_checksum("-- the migration\nCREATE TABLE t (\n  id integer "
                                         "PRIMARY KEY\n);\n"));
}

TEST(MigrationChecksum, IsLowercaseHexOf64Characters) {
  const std::string checksum = migration_checksum(kSql);
  ASSERT_EQ(checksum.size(), 64u);
  for (char c : checksum) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
}

}  // namespace
}  // namespace utxoiq::ops
