#include "app/command_failures.hpp"

#include <iostream>
#include <stdexcept>

#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {

int run_reporting_failures(const std::string& what, int failure_code,
                           const std::function<int()>& action) {
  try {
    return action();
  } catch (const EmbeddedStartError& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitEmbeddedFailed;
  } catch (const pg::BlockingConnectionError& e) {
    std::cerr << "utxoiq-store: database: " << e.what() << "\n";
    // No SQLSTATE: the failure was reaching the server, not a statement.
    return e.sqlstate().empty() ? kExitDatabaseUnreachable : failure_code;
  } catch (const std::invalid_argument& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "utxoiq-store: " << what << " failed: " << e.what() << "\n";
    return failure_code;
  }
}

}  // namespace utxoiq::app
