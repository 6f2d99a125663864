#pragma once
// A test HTTP server that receives webhook POSTs (alerts): listens on a free loopback port, answers
// every request with `status` (200 unless told otherwise) and keeps the bodies, so a test can wait
// for the alert it expects.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace utxoiq::testing {

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int status = 200);
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
