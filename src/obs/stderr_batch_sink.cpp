// See internal/stderr_batch_sink.hpp.
#include "obs/internal/stderr_batch_sink.hpp"

#include <unistd.h>

#include <cassert>
#include <cerrno>

namespace utxoiq::obs {

StderrBatchSink::~StderrBatchSink() {
  std::lock_guard lock(mutex_);
  flush_();
}

void StderrBatchSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  if (buffer_.size() + line.size() > kBatchBytes) flush_();
  if (line.size() > kBatchBytes) {
    write_out(line.data(), line.size());
    return;
  }
  buffer_.append(line.data(), line.size());
  assert(buffer_.size() <= kBatchBytes);
}

void StderrBatchSink::flush_() {
  write_out(buffer_.data(), buffer_.size());
  buffer_.clear();
}

// All of it, or what the descriptor takes before an error (a closed stderr loses the log, never
// the service).
void StderrBatchSink::write_out(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd_, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

}  // namespace utxoiq::obs
