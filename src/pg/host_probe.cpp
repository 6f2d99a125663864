// Reading a host's role and cluster; see host_probe.hpp.
#include "pg/host_probe.hpp"

#include <memory>
#include <utility>

#include "pg/errors.hpp"
#include "pg/result.hpp"

namespace utxoiq::pg {

Task<HostFacts> read_host_facts(Connection& connection) {
  // Any role may call pg_control_*() (PostgreSQL 15 grants them to PUBLIC); one statement, so
  // the role and the identity come from the same moment. A primary's timeline is that of its WAL
  // file (a just-promoted one's last checkpoint still shows the old timeline); a replica's, that
  // of its last restartpoint.
  constexpr std::string_view kSql =
      "SELECT pg_is_in_recovery(), s.system_identifier, "
      "CASE WHEN pg_is_in_recovery() THEN c.timeline_id "
      "ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END "
      "FROM pg_control_system() s, pg_control_checkpoint() c";
  HostFacts facts;
  try {
    const Result result = co_await connection.execute(kSql);
    if (result.rows() != 1) {
      facts.error = "no answer to the role query";
      co_return facts;
    }
    facts.in_recovery = result.boolean(0, 0);
    facts.system_identifier = static_cast<std::uint64_t>(result.int64(0, 1));
    facts.timeline = static_cast<std::uint32_t>(result.int64(0, 2));
  } catch (const Error& e) {
    facts.error = e.what();
  }
  co_return facts;
}

Task<HostFacts> probe_host(boost::asio::any_io_executor executor, std::string conninfo,
                           ConnectOptions options) {
  std::unique_ptr<Connection> connection;
  std::string failure;
  try {
    connection = co_await Connection::connect(executor, std::move(conninfo), std::move(options));
  } catch (const Error& e) {
    failure = e.what();
  }
  if (!connection) {
    HostFacts facts;
    facts.error = failure;
    co_return facts;
  }
  co_return co_await read_host_facts(*connection);
}

}  // namespace utxoiq::pg
