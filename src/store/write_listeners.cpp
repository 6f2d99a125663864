// See write_listeners.hpp.
#include "store/write_listeners.hpp"

#include <string>

#include "obs/logging.hpp"

namespace utxoiq::store {

void report_write_listener_failure(std::string_view what, std::exception_ptr failure) {
  std::string error = "unknown exception";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
  }
  obs::log_error("write listener failed; the write is committed",
                 {{"writes", what}, {"error", error}});
}

}  // namespace utxoiq::store
