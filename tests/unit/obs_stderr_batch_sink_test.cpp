// The stderr sink writes whole lines in batches of at most 4096 bytes: info lines wait in the
// buffer, a warn line (the logger's flush_on) writes them at once with it, a line that would not
// fit writes the batch before it, and every write ends at a line's end.
#include "obs/internal/stderr_batch_sink.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <memory>
#include <string>
#include <vector>

namespace utxoiq::obs {
namespace {

// A pipe whose read end never blocks: each read_available() returns what the sink wrote so far.
class Pipe {
 public:
  Pipe() {
    EXPECT_EQ(::pipe(fds_), 0);
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int write_end() const { return fds_[1]; }
  std::string read_available() {
    std::string out;
    char chunk[65536];
    ssize_t got = 0;
    while ((got = ::read(fds_[0], chunk, sizeof chunk)) > 0) out.append(chunk, got);
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

std::shared_ptr<spdlog::logger> logger_on(int fd) {
  auto sink = std::make_shared<StderrBatchSink>(fd);
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
  auto logger = std::make_shared<spdlog::logger>("batch-test", sink);
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  return logger;
}

TEST(StderrBatchSink, InfoLinesWaitAndAWarnLineWritesThemWithIt) {
  Pipe pipe;
  auto logger = logger_on(pipe.write_end());
  logger->info("one");
  logger->info("two");
  EXPECT_EQ(pipe.read_available(), "");
  logger->warn("three");
  EXPECT_EQ(pipe.read_available(), "one\ntwo\nthree\n");
}

TEST(StderrBatchSink, AFlushWritesWhatWaits) {
  Pipe pipe;
  auto logger = logger_on(pipe.write_end());
  logger->info("waiting");
  logger->flush();
  EXPECT_EQ(pipe.read_available(), "waiting\n");
}

TEST(StderrBatchSink, ALineThatWouldNotFitWritesTheBatchBeforeItAndEveryWriteEndsAtALineEnd) {
  Pipe pipe;
  auto logger = logger_on(pipe.write_end());
  const std::string line(999, 'x');  // 1000 bytes with its newline
  for (int i = 0; i < 4; ++i) logger->info(line);
  EXPECT_EQ(pipe.read_available(), "");  // 4000 bytes fit in one batch
  logger->info(line);                    // 5000 would not: the first four go out whole
  const std::string written = pipe.read_available();
  EXPECT_EQ(written.size(), 4000u);
  EXPECT_EQ(written.back(), '\n');
  logger->flush();
  EXPECT_EQ(pipe.read_available(), line + "\n");
}

TEST(StderrBatchSink, ALineLongerThanABatchIsWrittenAloneAndWhole) {
  Pipe pipe;
  auto logger = logger_on(pipe.write_end());
  logger->info("before");
  const std::string long_line(10000, 'y');
  logger->info(long_line);
  EXPECT_EQ(pipe.read_available(), "before\n" + long_line + "\n");
}

TEST(StderrBatchSink, DestroyingTheSinkWritesWhatWaits) {
  Pipe pipe;
  {
    auto logger = logger_on(pipe.write_end());
    logger->info("last words");
  }
  EXPECT_EQ(pipe.read_available(), "last words\n");
}

}  // namespace
}  // namespace utxoiq::obs
