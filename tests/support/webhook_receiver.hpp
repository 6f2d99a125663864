#pragma once
// A test HTTP server that receives webhook POSTs (alerts): listens on a free loopback port, answers
// the first `fail_first` requests with 503 (to test retries) and every other with 200, and keeps
// the bodies it accepted, so a test can wait for the alert it expects.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace utxoiq::testing {

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int fail_first = 0);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT/hook
  // The bodies received so far.
  std::vector<std::string> bodies() const;
  // Waits until a body containing `text` arrived (true) or `limit` passed (false).
  bool wait_for(const std::string& text, std::chrono::milliseconds limit) const;
  // Requests answered so far, including refused ones.
  int requests() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::testing
