#include <gtest/gtest.h>

#include "engine/scenario/params.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;

namespace {
std::vector<ParamSpec> specs() {
  return {{"processes", ParamType::Int, int64_t{5}, 1, 32, "", ""},
          {"sleep", ParamType::Float, 0.1, 0.0, 10.0, "", ""},
          {"sleep_in_lock", ParamType::Bool, true, 0, 0, "", ""}};
}
}  // namespace

TEST(Params, DefaultsAndValidSets) {
  auto v = ParamValues::defaults(specs());
  EXPECT_EQ(v.get_int("processes"), 5);
  EXPECT_FALSE(v.set(specs(), "processes=7"));
  EXPECT_FALSE(v.set(specs(), "sleep=2.5"));
  EXPECT_FALSE(v.set(specs(), "sleep_in_lock=false"));
  EXPECT_EQ(v.get_int("processes"), 7);
  EXPECT_DOUBLE_EQ(v.get_float("sleep"), 2.5);
  EXPECT_FALSE(v.get_bool("sleep_in_lock"));
}

TEST(Params, BadSetsSayWhy) {
  auto v = ParamValues::defaults(specs());
  auto msg = [&](const char* kv) { return v.set(specs(), kv).value_or(""); };
  EXPECT_NE(msg("processes=abc").find("whole number"), std::string::npos);
  EXPECT_NE(msg("processes=0").find("between 1 and 32"), std::string::npos);
  EXPECT_NE(msg("processes=3.5").find("whole number"), std::string::npos);
  EXPECT_NE(msg("nope=1").find("unknown parameter 'nope'"), std::string::npos);
  EXPECT_NE(msg("sleep=nan").find("number"), std::string::npos);
  EXPECT_NE(msg("sleep_in_lock=maybe").find("true or false"), std::string::npos);
  EXPECT_NE(msg("novalue").find("KEY=VALUE"), std::string::npos);
  EXPECT_EQ(v.get_int("processes"), 5);  // nothing changed
}

TEST(Params, EveryScenarioHasTitlesExplanationAndValidDefaults) {
  for (const auto& s : scenarios::all()) {
    EXPECT_FALSE(s.info.title_zh.empty()) << s.info.name;
    EXPECT_FALSE(s.info.title_en.empty()) << s.info.name;
    EXPECT_GT(s.info.explain_zh.size(), 30u) << s.info.name;
    EXPECT_GT(s.info.explain_en.size(), 30u) << s.info.name;
    EXPECT_TRUE(s.main) << s.info.name;
    for (const auto& p : s.info.params) {
      auto v = ParamValues::defaults(s.info.params);
      EXPECT_FALSE(v.set(s.info.params, p.key + "=" + format_param(p.def)))
          << s.info.name << " " << p.key << " default is outside its own range";
    }
  }
}
