#pragma once
// `--alert-webhook URL`: alerts (failed backup or verify today; replica and retention alerts
// later) POSTed as JSON to an operator's endpoint (Alertmanager-style receivers, chat hooks):
//
//   {"alert": "UtxoiqBackupFailed", "severity": "critical", "summary": "...",
//    "labels": {"stage": "dump"}, "fired_at": "2026-12-02T01:00:04.123456Z"}
//
// Sending never blocks the caller: alerts are queued and sent by a thread of this object, each
// retried with exponential backoff and jitter until a 2xx answer or `max_attempts`. A failed
// delivery is logged at error level (the metric and the alert rules still fire without it).
// Plain http:// only: put a local relay in front of an https receiver.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "resilience/backoff.hpp"

namespace utxoiq::app {

struct Alert {
  std::string name;      // "UtxoiqBackupFailed"
  std::string severity;  // critical | warning
  std::string summary;   // one line for a human
  std::vector<std::pair<std::string, std::string>> labels;
};

struct AlertWebhookOptions {
  std::string url;  // http://host[:port]/path
  int max_attempts = 8;
  resilience::BackoffPolicy backoff{std::chrono::milliseconds(500), std::chrono::seconds(60), 2.0};
  std::chrono::milliseconds timeout{5000};  // per attempt: connect, send, answer
};

class AlertWebhook {
 public:
  // Throws std::invalid_argument when the URL is not an http:// URL with a host.
  explicit AlertWebhook(AlertWebhookOptions options);
  // Stops the sender; alerts still queued are dropped (logged).
  ~AlertWebhook();
  AlertWebhook(const AlertWebhook&) = delete;
  AlertWebhook& operator=(const AlertWebhook&) = delete;

  // Queues the alert; returns at once.
  void send(Alert alert);
  // The JSON body sent for an alert.
  static std::string body(const Alert& alert);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
