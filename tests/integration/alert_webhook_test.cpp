// The alert webhook sender (app/alert_webhook) against a real HTTP receiver on loopback: the JSON
// body carries name, severity, summary and labels; a receiver that fails is retried with backoff
// until it accepts; a receiver that never answers does not block the caller; a URL that is not
// http:// is refused at once.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/alert_webhook.hpp"
#include "support/webhook_receiver.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

app::AlertWebhookOptions fast(const std::string& url) {
  app::AlertWebhookOptions options;
  options.url = url;
  options.backoff = {.base = 20ms, .cap = 200ms, .multiplier = 2.0};
  return options;
}

const app::Alert kAlert{
    "UtxoiqBackupFailed", "critical", "backup dump failed: disk full", {{"stage", "dump"}}};

TEST(AlertWebhook, PostsTheAlertAsJson) {
  WebhookReceiver receiver;
  app::AlertWebhook webhook(fast(receiver.url()));
  webhook.send(kAlert);
  ASSERT_TRUE(receiver.wait_for("UtxoiqBackupFailed", 5s));
  const auto body = boost::json::parse(receiver.bodies().front()).as_object();
  EXPECT_EQ(body.at("alert").as_string(), "UtxoiqBackupFailed");
  EXPECT_EQ(body.at("severity").as_string(), "critical");
  EXPECT_EQ(body.at("summary").as_string(), "backup dump failed: disk full");
  EXPECT_EQ(body.at("labels").at("stage").as_string(), "dump");
  EXPECT_TRUE(body.at("fired_at").is_string());
}

TEST(AlertWebhook, RetriesUntilTheReceiverAccepts) {
  WebhookReceiver receiver(/*fail_first=*/3);
  app::AlertWebhook webhook(fast(receiver.url()));
  const auto started = std::chrono::steady_clock::now();
  webhook.send(kAlert);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);  // queued, not sent inline
  ASSERT_TRUE(receiver.wait_for("UtxoiqBackupFailed", 10s));
  EXPECT_EQ(receiver.requests(), 4);
  EXPECT_EQ(receiver.bodies().size(), 1u);
}

TEST(AlertWebhook, RefusesAUrlThatIsNotHttp) {
  EXPECT_THROW(app::AlertWebhook(fast("https://hooks.example/x")), std::invalid_argument);
  EXPECT_THROW(app::AlertWebhook(fast("not a url")), std::invalid_argument);
}

}  // namespace
}  // namespace utxoiq::testing
