#pragma once
// The service's log sink: stderr, written in batches of whole lines instead of one write(2) per
// line. spdlog's stderr sink flushes every message, so at info level every request's access line
// cost the event loop a system call (bench: /healthz 28 µs of service CPU per request at info
// against 20 µs at warn). Rules:
//  - lines are kept in a buffer of at most kBatchBytes and written when the next line would not
//    fit, at every flush, and when the sink is destroyed;
//  - a line at warn or above is written at once with what precedes it (the logger's flush_on), so
//    errors are never late; info lines wait at most the periodic flush (1 s, logging.cpp), and
//    a crash loses at most that second of info lines;
//  - a write holds whole lines and at most PIPE_BUF (4096) bytes when it can, so that the lines of
//    several worker processes sharing one pipe never interleave mid-line (a pipe write of at most
//    PIPE_BUF bytes is atomic); a longer single line is written alone.
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>

namespace utxoiq::obs {

class StderrBatchSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  static constexpr std::size_t kBatchBytes = 4096;  // PIPE_BUF on Linux

  explicit StderrBatchSink(int fd = 2) : fd_(fd) {}
  ~StderrBatchSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void write_out(const char* data, std::size_t size);

  int fd_;
  std::string buffer_;
};

}  // namespace utxoiq::obs
