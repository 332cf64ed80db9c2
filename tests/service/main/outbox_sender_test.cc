// The email outbox's delivery: emails enqueued in the store reach an SMTP sink on loopback
// with the right recipient and body and are marked sent; a relay that is down or refuses is
// retried, each failure recorded, and attempts are bounded. Both backends.
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "main/outbox_sender.h"
#include "service_fixture.h"
#include "smtp_sink.h"

namespace mtp::testing {
namespace {

using namespace std::chrono_literals;

class OpsOutboxTest : public ServiceTest {
 protected:
  std::string enqueue(const std::string& provider, const std::string& to, const std::string& subject,
                      const std::string& text) {
    model::EmailRecord e;
    e.to_address = to;
    e.subject = subject;
    e.body = text;
    auto id = app().store().transact([&](store::Tx& tx) { return tx.enqueueEmail(model::TenantScope{provider}, e); });
    EXPECT_TRUE(id.has_value());
    return id.value_or("");
  }
  std::vector<model::EmailRecord> emails(const std::string& provider) {
    auto r = app().store().query([&](store::Tx& tx) { return tx.listEmails(model::TenantScope{provider}, false, 100); });
    EXPECT_TRUE(r.has_value());
    return r.value_or(std::vector<model::EmailRecord>{});
  }
  service::OutboxSenderOptions options(const std::string& url) {
    service::OutboxSenderOptions o;
    o.smtp_url = url;
    o.from = "mtp@msp.example";
    o.poll_interval = 50ms;
    o.max_backoff = 100ms;
    o.connect_timeout = 2s;
    o.send_timeout = 5s;
    return o;
  }
  // Polls `pred` until it holds or 10 s pass.
  template <class F>
  bool eventually(F pred) {
    for (int i = 0; i < 400; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(25ms);
    }
    return pred();
  }
};

// A loopback port with nothing listening (bound, then closed).
std::uint16_t closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST_P(OpsOutboxTest, DeliversToTheRelayAndMarksSent) {
  auto p = createProvider("Provider A");
  const std::string text = "Welcome.\nActivate: https://mtp.example/activate?token=abc123\n.hidden dot line\n";
  const auto id = enqueue(p, "new.admin@client.example", "Activate your MTP account", text);
  SmtpSink sink;
  auto sender = service::OutboxSender::start(app().store(), options(sink.url()));
  ASSERT_TRUE(sender.has_value()) << sender.error();
  ASSERT_TRUE(sink.waitFor(1, 10s));
  auto m = sink.messages().at(0);
  EXPECT_EQ(m.from, "mtp@msp.example");
  EXPECT_EQ(m.to, std::vector<std::string>{"new.admin@client.example"});
  EXPECT_NE(m.data.find("To: new.admin@client.example\r\n"), std::string::npos);
  EXPECT_NE(m.data.find("Subject: Activate your MTP account\r\n"), std::string::npos);
  EXPECT_NE(m.data.find("\r\n\r\nWelcome.\r\nActivate: https://mtp.example/activate?token=abc123\r\n.hidden dot line\r\n"),
            std::string::npos)
      << m.data;
  ASSERT_TRUE(eventually([&] { return emails(p).at(0).sent_at.has_value(); }));
  auto e = emails(p).at(0);
  EXPECT_EQ(e.id, id);
  EXPECT_EQ(e.attempts, 1);
  (*sender)->stop();
  EXPECT_EQ(sink.messages().size(), 1u);  // sent once, never again
  EXPECT_EQ((*sender)->sent(), 1);
}

TEST_P(OpsOutboxTest, EveryProvidersEmailsAreDelivered) {
  auto a = createProvider("Provider A");
  auto b = createProvider("Provider B");
  enqueue(a, "one@a.example", "Reset your password", "reset a");
  enqueue(b, "two@b.example", "Reset your TOTP", "reset b");
  SmtpSink sink;
  auto sender = service::OutboxSender::start(app().store(), options(sink.url()));
  ASSERT_TRUE(sender.has_value());
  ASSERT_TRUE(sink.waitFor(2, 10s));
  std::set<std::string> to;
  for (const auto& m : sink.messages()) to.insert(m.to.at(0));
  EXPECT_EQ(to, (std::set<std::string>{"one@a.example", "two@b.example"}));
  ASSERT_TRUE(eventually([&] { return emails(a).at(0).sent_at && emails(b).at(0).sent_at; }));
}

TEST_P(OpsOutboxTest, RelayDownIsRetriedRecordedAndBounded) {
  auto p = createProvider("Provider A");
  enqueue(p, "someone@client.example", "Activate", "token=secret-token-value");
  auto o = options("smtp://127.0.0.1:" + std::to_string(closedPort()));
  o.max_attempts = 3;
  auto sender = service::OutboxSender::start(app().store(), o);
  ASSERT_TRUE(sender.has_value());
  ASSERT_TRUE(eventually([&] { return emails(p).at(0).attempts >= 3; }));
  std::this_thread::sleep_for(400ms);  // several polls: no fourth attempt
  (*sender)->stop();
  auto e = emails(p).at(0);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_FALSE(e.sent_at.has_value());
  EXPECT_FALSE(e.last_error.empty());
  EXPECT_EQ(e.last_error.find("secret-token-value"), std::string::npos);
  EXPECT_EQ((*sender)->failed(), 3);
}

TEST_P(OpsOutboxTest, RefusalThenAcceptanceDelivers) {
  auto p = createProvider("Provider A");
  enqueue(p, "someone@client.example", "Activate", "hello");
  SmtpSink sink;
  sink.rejectWith(451);
  auto sender = service::OutboxSender::start(app().store(), options(sink.url()));
  ASSERT_TRUE(sender.has_value());
  ASSERT_TRUE(eventually([&] { return emails(p).at(0).attempts >= 1; }));
  auto failed = emails(p).at(0);
  EXPECT_FALSE(failed.sent_at.has_value());
  EXPECT_NE(failed.last_error.find("451"), std::string::npos) << failed.last_error;
  sink.rejectWith(0);
  ASSERT_TRUE(sink.waitFor(1, 10s));
  ASSERT_TRUE(eventually([&] { return emails(p).at(0).sent_at.has_value(); }));
  EXPECT_GE(emails(p).at(0).attempts, 2);
}

TEST_P(OpsOutboxTest, StopIsPromptAndRejectsBadOptions) {
  SmtpSink sink;
  auto o = options(sink.url());
  o.poll_interval = 60s;
  auto sender = service::OutboxSender::start(app().store(), o);
  ASSERT_TRUE(sender.has_value());
  const auto t0 = std::chrono::steady_clock::now();
  (*sender)->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);

  EXPECT_FALSE(service::OutboxSender::start(app().store(), options("http://relay:25")).has_value());
  auto bad_from = options(sink.url());
  bad_from.from = "no address";
  EXPECT_FALSE(service::OutboxSender::start(app().store(), bad_from).has_value());
}

TEST(OutboxMessage, HeadersAndLineEnds) {
  model::EmailRecord e;
  e.id = "e1";
  e.to_address = "a@b.example";
  e.subject = "Réinitialiser";
  e.body = "line1\nline2\r\nline3";
  auto m = service::composeMessage(e, "mtp@x.example", 0);
  EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <e1@mtp>\r\n"), std::string::npos);
  EXPECT_TRUE(m.ends_with("\r\n\r\nline1\r\nline2\r\nline3\r\n")) << m;
}

MTP_SERVICE_BACKENDS(OpsOutboxTest);

}  // namespace
}  // namespace mtp::testing
