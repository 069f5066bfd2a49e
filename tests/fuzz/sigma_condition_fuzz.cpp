// libFuzzer target: the Sigma condition parser and the rule loader on
// arbitrary bytes. The first line is a condition, the following lines are
// selection names (check_condition); the whole input is also loaded as YAML
// rules, and every loaded rule is run on a small event. Nothing may crash,
// throw or hang; a loaded rule must have a detection, a skipped one a reason.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/events/process_event.hpp"
#include "ioc/sigma/rules.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const std::size_t nl = input.find('\n');
  const std::string_view condition = input.substr(0, nl);
  std::vector<std::string> names;
  if (nl != std::string_view::npos) {
    std::string_view rest = input.substr(nl + 1);
    while (!rest.empty() && names.size() < 64) {
      const std::size_t e = rest.find('\n');
      names.emplace_back(rest.substr(0, e));
      rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 1);
    }
  }
  (void)ioc::sigma::check_condition(condition, names);

  ioc::sigma::RuleSet set;
  const ioc::sigma::LoadReport rep = ioc::sigma::load_text(input, "fuzz.yml", set);
  check(rep.rules == set.rules.size());
  check(rep.correlations == set.correlations.size());
  check(rep.problems.size() >= rep.skipped);
  ioc::events::ProcessEvent e;
  e.image = "C:\\Windows\\System32\\cmd.exe";
  e.command_line = "cmd.exe /c whoami -all";
  e.parent_image = "C:\\Windows\\explorer.exe";
  e.pid = 4444;
  e.hashes = "MD5=00,SHA256=11";
  e.fields = {{"OriginalFileName", "Cmd.Exe"}, {"CurrentDirectory", ""}};
  const ioc::sigma::EventFields f(e);
  for (const ioc::sigma::Rule& r : set.rules) {
    check(r.detection != nullptr);
    (void)r.matches(f);
  }
  for (const ioc::sigma::Correlation& c : set.correlations)
    check(!c.rules.empty() && c.timespan_ms > 0);
  return 0;
}
