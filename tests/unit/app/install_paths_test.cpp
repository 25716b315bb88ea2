// The data-directory lookup (app/data_dir.hpp) and the command line's
// version / help-language / gui FILE handling (app/command_line.hpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "app/data_dir.hpp"

namespace {

using mpviz::cli::CommandLine;
using mpviz::cli::HelpLang;

TEST(DataDir, CandidatesInOrderBinaryThenEnvThenSource) {
  auto c = mpviz::data_dir_candidates("/opt/x/bin/mpviz", "/env/dir/", "/src/assets");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "/opt/x/share/mpviz");
  EXPECT_EQ(c[1], "/env/dir");
  EXPECT_EQ(c[2], "/src/assets");
}

TEST(DataDir, UsrAndRootPrefixes) {
  EXPECT_EQ(mpviz::data_dir_candidates("/usr/bin/mpviz", nullptr, "")[0], "/usr/share/mpviz");
  EXPECT_EQ(mpviz::data_dir_candidates("/bin/mpviz", nullptr, "")[0], "/share/mpviz");
  EXPECT_EQ(mpviz::data_dir_candidates("/usr/bin/mpviz", "", "").size(), 1u);  // empty env: unset
  EXPECT_TRUE(mpviz::data_dir_candidates("", nullptr, "").empty());
}

TEST(DataDir, OnlyADirectoryWithTheTracerCounts) {
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("mpviz-data-dir-test-" + std::to_string(::getpid()));
  fs::create_directories(tmp / "python");
  EXPECT_FALSE(mpviz::is_data_dir(tmp.string()));
  std::ofstream(tmp / "python" / "sitecustomize.py") << "\n";
  EXPECT_TRUE(mpviz::is_data_dir(tmp.string()));
  EXPECT_FALSE(mpviz::is_data_dir(""));
  fs::remove_all(tmp);
}

mpviz::cli::ParsedCommandLine parse(std::vector<const char*> args, HelpLang lang = HelpLang::En) {
  args.insert(args.begin(), "mpviz");
  return mpviz::cli::parse_command_line(static_cast<int>(args.size()), args.data(), lang);
}

TEST(CommandLine, VersionAsFlagAndSubcommand) {
  for (auto args : {std::vector<const char*>{"--version"}, std::vector<const char*>{"version"}}) {
    auto r = parse(args);
    ASSERT_TRUE(r.command);
    EXPECT_EQ(r.command->command, CommandLine::Command::Version);
  }
}

TEST(CommandLine, HelpLanguage) {
  EXPECT_EQ(mpviz::cli::help_lang_from_locale(nullptr, nullptr, "zh_CN.UTF-8"), HelpLang::Zh);
  EXPECT_EQ(mpviz::cli::help_lang_from_locale("C", nullptr, "zh_CN.UTF-8"), HelpLang::En);
  EXPECT_EQ(mpviz::cli::help_lang_from_locale(nullptr, "zh_TW", "en_US"), HelpLang::Zh);
  EXPECT_EQ(mpviz::cli::help_lang_from_locale(nullptr, nullptr, nullptr), HelpLang::En);

  auto en = parse({"run", "--help"});
  EXPECT_EQ(en.exit_code, 0);
  EXPECT_NE(en.out.find("Usage: mpviz run"), std::string::npos) << en.out;
  auto zh = parse({"run", "--help"}, HelpLang::Zh);
  EXPECT_NE(zh.out.find("用法: mpviz run"), std::string::npos) << zh.out;
  EXPECT_NE(parse({"--lang", "zh", "--help"}).out.find("子命令"), std::string::npos);
  EXPECT_NE(parse({"--help", "--lang=en"}, HelpLang::Zh).out.find("Usage:"), std::string::npos);
}

TEST(CommandLine, GuiFileIsOpenAndNotBoth) {
  auto r = parse({"gui", "rec.mpvt"});
  ASSERT_TRUE(r.command);
  EXPECT_EQ(r.command->command, CommandLine::Command::Gui);
  EXPECT_EQ(r.command->gui.open_recording, "rec.mpvt");
  auto both = parse({"gui", "a.jsonl", "--open", "b.jsonl"});
  EXPECT_FALSE(both.command);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err.find('\n'), both.err.size() - 1);
  auto top = parse({"--lang", "en"});
  ASSERT_TRUE(top.command);
  EXPECT_EQ(top.command->gui.lang, "en");
}

}  // namespace
