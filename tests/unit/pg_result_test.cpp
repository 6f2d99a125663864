// Reading values from a pg::Result. The PGresult is built with libpq's own constructors
// (PQmakeEmptyPGresult/PQsetResultAttrs/PQsetvalue), so no server is needed.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cmath>

#include "pg/errors.hpp"
#include "pg/result.hpp"

namespace utxoiq::pg {
namespace {

// One row per vector entry; nullopt cells are NULL.
Result make_result(std::vector<const char*> names,
                   std::vector<std::vector<std::optional<std::string>>> rows) {
  PGresult* raw = PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK);
  std::vector<PGresAttDesc> attributes;
  for (const char* name : names)
    attributes.push_back(PGresAttDesc{const_cast<char*>(name), 0, 0, 0, 25, -1, -1});
  EXPECT_TRUE(PQsetResultAttrs(raw, static_cast<int>(attributes.size()), attributes.data()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    for (int c = 0; c < static_cast<int>(rows[r].size()); ++c) {
      const auto& cell = rows[r][c];
      std::string copy = cell.value_or("");
      EXPECT_TRUE(PQsetvalue(raw, r, c, cell ? copy.data() : nullptr,
                             cell ? static_cast<int>(copy.size()) : -1));
    }
  }
  return Result(raw);
}

TEST(PgResult, ShapeAndColumnLookup) {
  const Result result = make_result({"id", "Name"}, {{"1", "a"}, {"2", "b"}, {"3", "c"}});
  EXPECT_EQ(result.rows(), 3);
  EXPECT_EQ(result.columns(), 2);
  EXPECT_EQ(result.column("id"), 0);
  EXPECT_EQ(result.column("Name"), 1);
  EXPECT_THROW(result.column("name"), DecodeError);  // exact match, no case folding
  EXPECT_EQ(result.column_name(1), "Name");
}

TEST(PgResult, TypedReaders) {
  const Result result =
      make_result({"i", "f", "b", "t", "ts"},
                  {{"-9223372036854775808", "2.5", "t", "hello", "2024-05-01 12:00:00.25+00"},
                   {"17", "-Infinity", "f", "", "2024-05-01 12:00:00+00"}});
  EXPECT_EQ(result.int64(0, 0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(result.int64(1, "i"), 17);
  EXPECT_DOUBLE_EQ(result.float64(0, 1), 2.5);
  EXPECT_TRUE(std::isinf(result.float64(1, 1)) && result.float64(1, 1) < 0);
  EXPECT_TRUE(result.boolean(0, "b"));
  EXPECT_FALSE(result.boolean(1, 2));
  EXPECT_EQ(result.text(0, "t"), "hello");
  EXPECT_EQ(result.text(1, 3), "");
  EXPECT_FALSE(result.is_null(1, 3));  // empty string is not NULL
  EXPECT_EQ(result.timestamp(0, "ts") - result.timestamp(1, "ts"), std::chrono::milliseconds(250));
}

TEST(PgResult, NullsReadAsNulloptAndFailPlainReaders) {
  const Result result = make_result({"a"}, {{std::nullopt}});
  EXPECT_TRUE(result.is_null(0, 0));
  EXPECT_FALSE(result.optional_text(0, 0));
  EXPECT_FALSE(result.optional_int64(0, "a"));
  EXPECT_FALSE(result.optional_float64(0, 0));
  EXPECT_FALSE(result.optional_boolean(0, 0));
  EXPECT_FALSE(result.optional_timestamp(0, 0));
  EXPECT_THROW(result.text(0, 0), DecodeError);
  EXPECT_THROW(result.int64(0, 0), DecodeError);
}

TEST(PgResult, BadValuesAndOutOfRangeThrow) {
  const Result result = make_result({"a"}, {{"12x"}, {"yes"}});
  EXPECT_THROW(result.int64(0, 0), DecodeError);
  EXPECT_THROW(result.float64(0, 0), DecodeError);
  EXPECT_THROW(result.boolean(1, 0), DecodeError);
  EXPECT_THROW(result.timestamp(1, 0), DecodeError);
  EXPECT_THROW(result.text(2, 0), DecodeError);
  EXPECT_THROW(result.text(0, 1), DecodeError);
  EXPECT_THROW(result.text(-1, 0), DecodeError);
}

TEST(PgResult, EmptyAndMovedFrom) {
  Result empty;
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(empty.affected_rows(), 0);
  Result full = make_result({"a"}, {{"1"}});
  Result moved = std::move(full);
  EXPECT_EQ(moved.int64(0, 0), 1);
  EXPECT_EQ(full.rows(), 0);  // NOLINT(bugprone-use-after-move): moved-from is empty
}

}  // namespace
}  // namespace utxoiq::pg
