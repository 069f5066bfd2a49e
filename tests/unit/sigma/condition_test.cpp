// Unit tests of the Sigma condition parser (check_condition, and conditions
// evaluated through rules) and of parse_timespan.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ioc/sigma/rules.hpp"

using ioc::sigma::check_condition;
using ioc::sigma::parse_timespan;

namespace {

const std::vector<std::string> kSel = {"selection", "selection_img", "selection_cli",
                                       "filter",    "filter_main",   "_hidden"};

}  // namespace

TEST_CASE("check_condition accepts the supported forms", "[sigma][condition]") {
  for (const char* c :
       {"selection", "selection and not filter", "selection or filter", "not selection",
        "not not selection", "(selection or filter) and not filter_main", "1 of selection*",
        "all of selection_*", "1 of them", "all of them", "any of filter*", "2 of selection*",
        "all of selection_* and not 1 of filter*", "  selection\n and\tfilter  ",
        "((((selection))))", "1 of _hidden",
        "selection and (filter or not (filter_main and selection_img))"}) {
    INFO(c);
    CHECK(check_condition(c, kSel).empty());
  }
}

TEST_CASE("check_condition rejects malformed and unsupported conditions", "[sigma][condition]") {
  struct Case {
    const char* cond;
    const char* why;  // a part of the reason
  };
  for (const Case& c : {Case{"", "empty"},
                        Case{"   ", "empty"},
                        Case{"selection and", "ends early"},
                        Case{"selection or or filter", "unexpected"},
                        Case{"(selection", "missing ')'"},
                        Case{"selection)", "unexpected ')'"},
                        Case{"unknown", "unknown selection 'unknown'"},
                        Case{"selection | count() > 5", "aggregation"},
                        Case{"selection | count(User) by Computer > 2", "aggregation"},
                        Case{"selection near filter", "near"},
                        Case{"1 of nothing*", "no selection matches"},
                        Case{"all of", "after 'of'"},
                        Case{"1 selection", "expected 'of'"},
                        Case{"0 of them", "'0 of'"},
                        Case{"selection*", "without '1 of'"},
                        Case{"selection & filter", "unexpected character"},
                        Case{"them", "unexpected"},
                        Case{"not", "ends early"},
                        Case{"selection filter", "unexpected 'filter'"},
                        Case{"AND selection", "unknown selection 'AND'"}}) {
    INFO(c.cond);
    const std::string why = check_condition(c.cond, kSel);
    CHECK_THAT(why, Catch::Contains(c.why));
  }
}

TEST_CASE("check_condition: `them` excludes names starting with _", "[sigma][condition]") {
  CHECK_THAT(check_condition("1 of them", {"_a", "_b"}), Catch::Contains("no selections"));
  CHECK(check_condition("1 of them", {"_a", "b"}).empty());
  CHECK(check_condition("1 of _*", {"_a", "b"}).empty());
}

TEST_CASE("check_condition bounds the nesting depth", "[sigma][condition]") {
  std::string deep(60, '(');
  deep += "selection";
  deep += std::string(60, ')');
  CHECK(check_condition(deep, kSel).empty());
  std::string too_deep(100000, '(');
  too_deep += "selection";
  too_deep += std::string(100000, ')');
  CHECK_FALSE(check_condition(too_deep, kSel).empty());
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  nots += "selection";
  CHECK_THAT(check_condition(nots, kSel), Catch::Contains("deeply"));
  // A long flat chain is fine (n-ary nodes, no deep recursion).
  std::string chain = "selection";
  for (int i = 0; i < 1000; ++i) chain += " and filter";
  CHECK(check_condition(chain, kSel).empty());
  std::string very_long = "selection";
  for (int i = 0; i < 5000; ++i) very_long += " or filter";
  CHECK_THAT(check_condition(very_long, kSel), Catch::Contains("too many tokens"));
}

TEST_CASE("parse_timespan", "[sigma][timespan]") {
  CHECK(parse_timespan("15m") == 900000);
  CHECK(parse_timespan("30s") == 30000);
  CHECK(parse_timespan("1h") == 3600000);
  CHECK(parse_timespan("2d") == 172800000);
  CHECK(parse_timespan(" 5m ") == 300000);
  for (const char* bad :
       {"", "m", "15", "15x", "1.5h", "-5m", "0s", "15 m", "m15", "99999999999999s", "15M", "1w"}) {
    INFO(bad);
    CHECK_FALSE(parse_timespan(bad).has_value());
  }
}
