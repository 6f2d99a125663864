// Host lists of a connection string split into entries and written back with numeric addresses,
// so libpq never has to resolve a name itself (its lookup would block the event loop).
#include <gtest/gtest.h>

#include "pg/host_resolution.hpp"

namespace utxoiq::pg {
namespace {

TEST(PgHostResolution, SplitsHostsWithOneSharedPort) {
  const auto params = build_connect_params("host=db1,db2 port=6432", {});
  const auto entries = host_entries(params);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].host, "db1");
  EXPECT_EQ(entries[1].host, "db2");
  EXPECT_EQ(entries[0].port, "6432");
  EXPECT_EQ(entries[1].port, "6432");
  EXPECT_EQ(entries[1].hostaddr, "");
}

TEST(PgHostResolution, SplitsPerHostPortsAndAddresses) {
  const auto params = build_connect_params("host=a,b hostaddr=10.0.0.1, port=1,2", {});
  const auto entries = host_entries(params);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].hostaddr, "10.0.0.1");
  EXPECT_EQ(entries[1].hostaddr, "");
  EXPECT_EQ(entries[0].port, "1");
  EXPECT_EQ(entries[1].port, "2");
}

TEST(PgHostResolution, NoHostMeansDefaultSocket) {
  EXPECT_TRUE(host_entries(build_connect_params("dbname=x", {})).empty());
}

TEST(PgHostResolution, TheHostLabelNamesHostsAndPortsAndNothingSecret) {
  EXPECT_EQ(host_label(build_connect_params(
                "postgresql://app:s3cret@db1:6432,db2/utxoiq?sslmode=disable", {})),
            "db1:6432,db2:5432");
  EXPECT_EQ(host_label(build_connect_params("hostaddr=10.0.0.7 port=7 password=x", {})),
            "10.0.0.7:7");
  EXPECT_EQ(host_label(build_connect_params("host=/tmp/pg port=55432", {})), "/tmp/pg:55432");
  EXPECT_EQ(host_label(build_connect_params("dbname=x", {})), "default socket");
}

TEST(PgHostResolution, OnlyNamesNeedALookup) {
  EXPECT_TRUE(needs_lookup({"db.example", "", ""}));
  EXPECT_TRUE(needs_lookup({"localhost", "5432", ""}));
  EXPECT_FALSE(needs_lookup({"127.0.0.1", "", ""}));
  EXPECT_FALSE(needs_lookup({"::1", "", ""}));
  EXPECT_FALSE(needs_lookup({"/var/run/postgresql", "", ""}));
  EXPECT_FALSE(needs_lookup({"@abstract", "", ""}));
  EXPECT_FALSE(needs_lookup({"", "", ""}));
  EXPECT_FALSE(needs_lookup({"db.example", "", "10.1.2.3"}));
}

TEST(PgHostResolution, WritingEntriesBackKeepsThemAligned) {
  auto params = build_connect_params("host=db port=5433 dbname=x", {});
  set_host_entries(params, {{"db", "5433", "10.0.0.1"}, {"db", "5433", "10.0.0.2"}});
  EXPECT_EQ(params.value_of("host"), "db,db");
  EXPECT_EQ(params.value_of("hostaddr"), "10.0.0.1,10.0.0.2");
  EXPECT_EQ(params.value_of("port"), "5433,5433");
  EXPECT_EQ(params.value_of("dbname"), "x");
  const auto again = host_entries(params);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].hostaddr, "10.0.0.2");
}

}  // namespace
}  // namespace utxoiq::pg
