#include "agent_commands.h"

#include <curl/curl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "policy_commands.h"
#include "script_runner.h"

namespace mtp::ctl {

namespace {

using nlohmann::json;

constexpr const char* kAgentVersion = "mtpctl-agent/1";

struct HttpAnswer {
  long status = 0;  // 0: no answer (connection failed)
  std::string body;
  std::string error;
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One JSON POST with libcurl (10 s timeout); `device_key` goes in x-device-key when set.
HttpAnswer post(const std::string& url, const json& body, const std::string& device_key) {
  HttpAnswer a;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    a.error = "curl_easy_init failed";
    return a;
  }
  // Script output is bytes: anything that is not UTF-8 is sent as U+FFFD.
  const std::string payload = body.dump(-1, ' ', false, json::error_handler_t::replace);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string key_header;
  if (!device_key.empty()) {
    key_header = "x-device-key: " + device_key;
    headers = curl_slist_append(headers, key_header.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &a.body);
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    a.error = curl_easy_strerror(rc);
    return a;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &a.status);
  return a;
}

std::string trimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string hostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

std::int64_t uptimeSeconds() {
  std::ifstream in("/proc/uptime");
  double up = 0;
  if (in >> up) return static_cast<std::int64_t>(up);
  return 0;
}

std::string errorText(const HttpAnswer& a) {
  if (a.status == 0) return a.error;
  auto j = json::parse(a.body, nullptr, false);
  if (!j.is_discarded() && j.contains("error")) {
    return std::to_string(a.status) + " " + j["error"].value("code", "") + ": " +
           j["error"].value("message", "");
  }
  return "HTTP " + std::to_string(a.status);
}

bool writeState(const std::string& path, const json& state) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    ::chmod(tmp.c_str(), 0600);
    out << state.dump(2) << "\n";
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

// A saved command's script: run it with --execute, else report it not executed.
json scriptResult(const json& c, const AgentOptions& o) {
  if (!o.execute) {
    return {{"status", "not_executed"},
            {"output", "mtpctl agent: not executed (the agent runs without --execute)"}};
  }
  auto r = runScript(c.value("shell", ""), c.value("script", ""), o.command_timeout_seconds,
                     o.output_cap);
  json out = {{"status", r.status}, {"output", r.output}, {"truncated", r.truncated}};
  if (r.exit_code) out["exitCode"] = *r.exit_code;
  return out;
}

int checkinOnce(const std::string& server, const std::string& device_key, const AgentOptions& o) {
  json facts = {{"uptimeSeconds", uptimeSeconds()}, {"version", kAgentVersion}};
  auto a = post(server + "/api/agent/v1/checkin", facts, device_key);
  if (a.status != 200) {
    std::cerr << "mtpctl agent: check-in failed: " << errorText(a) << "\n";
    return 1;
  }
  auto j = json::parse(a.body, nullptr, false);
  if (j.is_discarded() || !j.contains("commands") || !j["commands"].is_array()) {
    std::cerr << "mtpctl agent: check-in answer is not {commands: [...]}\n";
    return 1;
  }
  int rc = 0;
  for (const auto& c : j["commands"]) {
    const std::string id = c.value("id", ""), type = c.value("type", "");
    // The reference agent performs no built-in command: it only reports it as handled.
    const bool script = type == "script";
    json result = script ? scriptResult(c, o)
                         : json{{"status", "done"},
                                {"output", "mtpctl agent: " + type +
                                               " acknowledged, not performed on the host"}};
    auto r = post(server + "/api/agent/v1/commands/" + id + "/result", result, device_key);
    if (r.status != 200) {
      std::cerr << "mtpctl agent: result of command " << id << " failed: " << errorText(r) << "\n";
      rc = 1;
      continue;
    }
    if (script) {
      std::cout << "command " << id << " script " << result.value("status", "");
      if (result.contains("exitCode")) std::cout << " exit " << result["exitCode"].get<int>();
      std::cout << "\n";
    } else {
      std::cout << "command " << id << " " << type << " done (not performed on the host)\n";
    }
  }
  std::cout.flush();
  return rc;
}

}  // namespace

int runAgent(const AgentOptions& o) {
  if (o.server.empty() || o.state_file.empty() || o.every_seconds < 0 || o.times < 0) {
    std::cerr << "mtpctl agent: --server and --state are required; --every and --times >= 0\n";
    return 2;
  }
  if (o.command_timeout_seconds < 1 || o.command_timeout_seconds > 86400 || o.output_cap < 1 ||
      o.output_cap > 64 * 1024) {
    std::cerr << "mtpctl agent: --command-timeout is 1..86400 s, --output-cap 1..65536 bytes\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::string server = trimSlash(o.server);
  json state;
  if (std::ifstream in(o.state_file); in) {
    state = json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object()) {
      std::cerr << "mtpctl agent: " << o.state_file << " is not an agent state file\n";
      return 2;
    }
  }
  std::string device_key = state.is_object() ? state.value("deviceKey", "") : "";
  if (device_key.empty()) {
    if (o.connect_key.empty()) {
      std::cerr << "mtpctl agent: not registered yet: --connect-key is required\n";
      return 2;
    }
    struct utsname u {};
    ::uname(&u);
    const std::string host = o.hostname.empty() ? hostName() : o.hostname;
    json reg = {{"connectKey", o.connect_key},
                {"hostname", host},
                {"os", std::string(u.sysname) + " " + u.release},
                {"osFamily", "linux"},
                {"version", kAgentVersion}};
    auto a = post(server + "/api/agent/v1/register", reg, "");
    if (a.status != 201) {
      std::cerr << "mtpctl agent: registration failed: " << errorText(a) << "\n";
      return a.status == 400 ? 2 : 1;
    }
    auto j = json::parse(a.body, nullptr, false);
    if (j.is_discarded() || !j.contains("deviceKey")) {
      std::cerr << "mtpctl agent: registration answer has no device key\n";
      return 1;
    }
    device_key = j.value("deviceKey", "");
    state = {{"server", server}, {"deviceId", j.value("id", "")}, {"deviceKey", device_key},
             {"organization", j.value("organization", "")}};
    if (!writeState(o.state_file, state)) {
      std::cerr << "mtpctl agent: cannot write " << o.state_file << "\n";
      return 1;
    }
    std::cout << "registered device " << j.value("id", "") << " (state in " << o.state_file << ")\n";
  }
  int rc = 0;
  for (int n = 1;; ++n) {
    rc = checkinOnce(server, device_key, o);
    if (o.every_seconds == 0 || (o.times > 0 && n >= o.times)) break;
    std::this_thread::sleep_for(std::chrono::seconds(o.every_seconds));
  }
  return rc;
}

void addAgentCommands(CLI::App& app) {
  auto opts = std::make_shared<AgentOptions>();
  auto* agent = app.add_subcommand(
      "agent",
      "A reference device agent: enrolls with the org's connect key, checks in, and answers every "
      "built-in command \"done\" WITHOUT acting on this host (it never locks, restarts or shuts "
      "down); saved commands' scripts run only with --execute");
  agent->add_option("--server", opts->server, "mtpd's base URL, e.g. http://127.0.0.1:8080")->required();
  agent->add_option("--connect-key", opts->connect_key, "the org's connect key (to register once)");
  agent->add_option("--state", opts->state_file, "where the device id and key are kept (0600)")
      ->capture_default_str();
  agent->add_option("--every", opts->every_seconds, "check in every N seconds (0: once)");
  agent->add_option("--times", opts->times, "with --every: stop after N check-ins (0: never)");
  agent->add_option("--hostname", opts->hostname, "the hostname to report (default: this host's)");
  agent->add_flag("--execute", opts->execute,
                  "really run the scripts of saved commands (off: answer them not_executed)");
  agent->add_option("--command-timeout", opts->command_timeout_seconds,
                    "with --execute: kill a script after N seconds")
      ->capture_default_str();
  agent->add_option("--output-cap", opts->output_cap,
                    "with --execute: keep at most N bytes of a script's output (at most 65536)")
      ->capture_default_str();
  agent->callback([opts] { exitCode() = runAgent(*opts); });
}

}  // namespace mtp::ctl
