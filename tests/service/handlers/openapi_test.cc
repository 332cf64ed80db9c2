// docs/openapi.yaml describes exactly the routes mtpd serves: every (method, path) of the
// route table is in the document and every operation of the document is a route, each with
// the access it declares (`x-mtp-access`: the engine action, `public` or `authenticated`).
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "handlers/routes.h"
#include "http/metrics.h"
#include "service_fixture.h"

namespace mtp::testing {
namespace {

std::string accessOf(const http::Route& r) {
  switch (r.access.kind()) {
    case http::Access::Kind::kAction: return r.access.actionName();
    case http::Access::Kind::kPublic: return "public";
    case http::Access::Kind::kAuthenticatedAny: return "authenticated";
    case http::Access::Kind::kUndeclared: break;
  }
  return "undeclared";
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ServiceTest {};

TEST_P(OpenApiTest, DocumentMatchesTheRouteTable) {
  const auto file = std::filesystem::path(std::getenv("MTP_SOURCE_DIR") ? std::getenv("MTP_SOURCE_DIR") : ".") / "docs" / "openapi.yaml";
  YAML::Node doc;
  ASSERT_NO_THROW(doc = YAML::LoadFile(file.string())) << file;
  ASSERT_TRUE(doc["openapi"]) << "not an OpenAPI document";
  EXPECT_EQ(doc["openapi"].as<std::string>().substr(0, 2), "3.");

  std::map<std::string, std::string> documented;  // "get /path" -> access
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      const auto method = op.first.as<std::string>();
      if (method == "parameters" || method == "summary" || method == "description") continue;
      const auto key = method + " " + path.first.as<std::string>();
      EXPECT_TRUE(op.second["x-mtp-access"]) << key << " has no x-mtp-access";
      EXPECT_TRUE(op.second["responses"]) << key << " has no responses";
      documented[key] = op.second["x-mtp-access"] ? op.second["x-mtp-access"].as<std::string>() : "";
    }
  }

  auto routes = handlers::allRoutes(app());
  for (auto& r : http::opsRoutes(mtpd().metrics(), [] { return std::string(); })) routes.push_back(std::move(r));
  std::set<std::string> served;
  for (const auto& r : routes) {
    const auto key = lower(r.method) + " " + r.pattern;
    served.insert(key);
    auto it = documented.find(key);
    if (it == documented.end()) {
      ADD_FAILURE() << "route not in docs/openapi.yaml: " << key;
      continue;
    }
    EXPECT_EQ(it->second, accessOf(r)) << key;
  }
  for (const auto& [key, _] : documented)
    EXPECT_TRUE(served.count(key)) << "docs/openapi.yaml documents a route mtpd does not serve: " << key;
}

MTP_SERVICE_BACKENDS(OpenApiTest);

}  // namespace
}  // namespace mtp::testing
