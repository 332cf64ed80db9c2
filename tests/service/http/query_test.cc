#include "http/query.h"

#include <gtest/gtest.h>

namespace mtp::http {
namespace {

const ListSpec kSpec{{"name", "created"}, {"state", "organization", "created", "email"}, {"format"}};

TEST(ListQuery, Defaults) {
  auto q = parseListQuery({}, kSpec);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->limit, 10);
  EXPECT_EQ(q->skip, 0);
  EXPECT_TRUE(q->sort.empty());
  EXPECT_TRUE(q->filters.empty());
}

TEST(ListQuery, LimitAndSkip) {
  auto q = parseListQuery({{"limit", "100"}, {"skip", "20"}}, kSpec);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->limit, 100);
  EXPECT_EQ(q->skip, 20);
  for (auto bad : {"0", "101", "-1", "abc", "", "10x", "99999999999999999999"}) {
    auto r = parseListQuery({{"limit", bad}}, kSpec);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Status::Code::kInvalidArgument);
    EXPECT_EQ(r.error().message, "limit must be an integer from 1 to 100");
  }
  EXPECT_FALSE(parseListQuery({{"skip", "-1"}}, kSpec).has_value());
}

TEST(ListQuery, SortWithDirections) {
  auto q = parseListQuery({{"sort", "name,-created"}}, kSpec);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->sort, (std::vector<SortKey>{{"name", false}, {"created", true}}));
  EXPECT_EQ(parseListQuery({{"sort", "password"}}, kSpec).error().message, "cannot sort on `password`");
  EXPECT_FALSE(parseListQuery({{"sort", "name,,created"}}, kSpec).has_value());
  EXPECT_FALSE(parseListQuery({{"sort", "name,-name"}}, kSpec).has_value());
  EXPECT_FALSE(parseListQuery({{"sort", ""}}, kSpec).has_value());
  EXPECT_FALSE(parseListQuery({{"sort", "name;drop"}}, kSpec).has_value());
}

TEST(ListQuery, FiltersRepeatableAndWhitelisted) {
  auto q = parseListQuery({{"filter", "state:eq:ACTIVATED"}, {"filter", "organization:in:o1|o2"},
                           {"filter", "created:ge:2026-01-01T00:00:00Z"}},
                          kSpec);
  ASSERT_TRUE(q.has_value()) << q.error().message;
  ASSERT_EQ(q->filters.size(), 3u);
  EXPECT_EQ(q->filters[0], (Filter{"state", FilterOp::kEq, "ACTIVATED", {"ACTIVATED"}}));
  EXPECT_EQ(q->filters[1].op, FilterOp::kIn);
  EXPECT_EQ(q->filters[1].values, (std::vector<std::string>{"o1", "o2"}));
  EXPECT_EQ(q->filters[2].value, "2026-01-01T00:00:00Z");  // the value keeps its colons
}

TEST(ListQuery, SeveralFiltersInOneParameter) {
  auto q = parseListQuery({{"filter", "state:eq:ACTIVATED;email:search:acme"}}, kSpec);
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->filters.size(), 2u);
  EXPECT_EQ(q->filters[1].op, FilterOp::kSearch);
}

TEST(ListQuery, BadFilters) {
  EXPECT_EQ(parseListQuery({{"filter", "password:eq:x"}}, kSpec).error().message, "cannot filter on `password`");
  EXPECT_EQ(parseListQuery({{"filter", "state:like:x"}}, kSpec).error().message,
            "unknown filter operator `like` (eq ne gt ge lt le in search)");
  EXPECT_EQ(parseListQuery({{"filter", "state"}}, kSpec).error().message,
            "filter `state` must be field:op:value");
  EXPECT_FALSE(parseListQuery({{"filter", "email:search:"}}, kSpec).has_value());
}

TEST(ListQuery, UnknownParametersAreRefusedButDeclaredOnesPass) {
  EXPECT_EQ(parseListQuery({{"limt", "5"}}, kSpec).error().message, "unknown query parameter `limt`");
  EXPECT_TRUE(parseListQuery({{"format", "csv"}}, kSpec).has_value());
}

}  // namespace
}  // namespace mtp::http
