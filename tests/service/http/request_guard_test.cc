// The raw-bytes guard in front of Pistache's parser (http/request_guard.h): a request line
// that names a query parameter twice is refused (Pistache would keep one of them), also when
// the line arrives in two chunks; header lines are never read as a request line.
#include "http/request_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace mtp::http {
namespace {

TEST(RepeatedQueryParameter, FindsANameGivenTwiceEvenEncoded) {
  EXPECT_EQ(repeatedQueryParameter("GET /a?x=1&y=2 HTTP/1.1"), std::nullopt);
  EXPECT_EQ(repeatedQueryParameter("GET /a HTTP/1.1"), std::nullopt);
  EXPECT_EQ(repeatedQueryParameter("GET /a?&&x=1& HTTP/1.1"), std::nullopt);
  EXPECT_EQ(repeatedQueryParameter("GET /a?filter=a:eq:1&filter=b:eq:2 HTTP/1.1"), "filter");
  EXPECT_EQ(repeatedQueryParameter("GET /a?fil%74er=a&filter=b HTTP/1.1"), "filter");
  EXPECT_EQ(repeatedQueryParameter("GET /a?x&x HTTP/1.1"), "x");
  EXPECT_EQ(repeatedQueryParameter("GET /a?filter=a:eq:1;b:eq:2&Filter=c HTTP/1.1"), std::nullopt);
  EXPECT_EQ(repeatedQueryParameter("GET /a?x=1#x=2 HTTP/1.1"), std::nullopt);
  EXPECT_EQ(repeatedQueryParameter("GARBAGE"), std::nullopt);
}

TEST(ScanHeaderChunk, RefusesARepeatedParameterInOneChunkOrTwo) {
  HeaderScanState one;
  auto r = scanHeaderChunk(one, "GET /d?limit=5&limit=6 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("`limit` is given twice"), std::string::npos) << *r;

  HeaderScanState two;
  EXPECT_EQ(scanHeaderChunk(two, "GET /d?filter=a:eq:1&fil"), std::nullopt);
  EXPECT_TRUE(scanHeaderChunk(two, "ter=b:eq:2 HTTP/1.1\r\nHost: x\r\n\r\n").has_value());

  HeaderScanState fine;
  EXPECT_EQ(scanHeaderChunk(fine, "GET /d?filter=a:eq:1;b:eq:2&limit=5 HTTP/1.1\r\nHost: x\r\n\r\n"), std::nullopt);
}

TEST(ScanHeaderChunk, HeaderLinesAreNotRequestLines) {
  HeaderScanState s;
  EXPECT_EQ(scanHeaderChunk(s, "GET /d HTTP/1.1\r\n"), std::nullopt);
  EXPECT_TRUE(s.in_headers);
  EXPECT_EQ(scanHeaderChunk(s, "Referer: http://a/?x=1&x=2\r\n\r\n"), std::nullopt);
  EXPECT_FALSE(s.in_headers);
  // The next request's line is looked at again.
  EXPECT_TRUE(scanHeaderChunk(s, "GET /d?x=1&x=2 HTTP/1.1\r\n\r\n").has_value());
}

TEST(ScanHeaderChunk, ALineTooLongToKeepWholeIsLeftAlone) {
  HeaderScanState s;
  const std::string head = "GET /d?x=1&" + std::string(10000, 'a') + "=1";
  EXPECT_EQ(scanHeaderChunk(s, head), std::nullopt);
  EXPECT_TRUE(s.cut);
  // Its end repeats `x`, but the start was not kept: no refusal on a line not seen whole.
  EXPECT_EQ(scanHeaderChunk(s, "&x=2 HTTP/1.1\r\n\r\n"), std::nullopt);

  // Only that line was cut: a line that starts after it in the same chunk is kept whole.
  HeaderScanState t;
  EXPECT_EQ(scanHeaderChunk(t, head), std::nullopt);
  EXPECT_EQ(scanHeaderChunk(t, " HTTP/1.1\r\nHost: x"), std::nullopt);
  EXPECT_FALSE(t.cut);
}

TEST(ScanHeaderChunk, MalformedContentLengthIsStillRefused) {
  HeaderScanState s;
  auto r = scanHeaderChunk(s, "POST /d HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("malformed Content-Length"), std::string::npos);
}

}  // namespace
}  // namespace mtp::http
