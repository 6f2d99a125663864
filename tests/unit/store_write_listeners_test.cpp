// store::WriteListeners: every listener is awaited in the order added, and one that throws is
// logged without stopping the others or turning the committed write into an error.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/asio/io_context.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "obs/logging.hpp"
#include "store/write_listeners.hpp"
#include "support/run_task.hpp"

namespace utxoiq::store {
namespace {

TEST(StoreWriteListeners, AllAreAwaitedInOrderAndAThrowingOneIsLogged) {
  std::ostringstream log;
  obs::init_logging(obs::LogLevel::info, true,
                    std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  std::vector<std::string> heard;
  WriteListeners<std::string> listeners("test writes");
  listeners.add([&heard](std::string change) -> Task<void> {
    heard.push_back("first " + change);
    co_return;
  });
  listeners.add([](std::string) -> Task<void> {
    throw std::runtime_error("cache unreachable");
    co_return;
  });
  listeners.add([&heard](std::string change) -> Task<void> {
    heard.push_back("third " + change);
    co_return;
  });

  boost::asio::io_context io;
  EXPECT_NO_THROW(testing::run_task(io, listeners.notify("job 7")));
  obs::init_logging(obs::LogLevel::info, true);

  EXPECT_EQ(heard, (std::vector<std::string>{"first job 7", "third job 7"}));
  EXPECT_NE(log.str().find("write listener failed"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("cache unreachable"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("test writes"), std::string::npos) << log.str();
}

}  // namespace
}  // namespace utxoiq::store
