// libFuzzer target: Windows command-line splitting, wrapper peeling and PowerShell
// argument parsing on arbitrary text, with the invariants their headers promise.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/cmdline/powershell_args.hpp"
#include "ioc/cmdline/win_argv.hpp"
#include "ioc/cmdline/wrappers.hpp"

using namespace ioc::cmdline;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Every span inside the input, in order, and no value longer than its raw text.
void check_spans(const std::vector<Arg>& argv, std::size_t size) {
  std::size_t previous_end = 0;
  for (const Arg& arg : argv) {
    check(arg.begin <= arg.end);
    check(arg.end <= size);
    check(arg.begin >= previous_end);
    check(arg.begin < arg.end);  // every argument has raw text, even "" has its quotes
    check(arg.value.size() <= arg.end - arg.begin);
    previous_end = arg.end;
  }
}

bool has_non_blank(std::string_view s) {
  return s.find_first_not_of(" \t") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Splitting.
  const std::vector<Arg> line = split_windows_command_line(input);
  check_spans(line, size);
  check(line.empty() != has_non_blank(input));
  const std::vector<Arg> args = split_windows_args(input);
  check_spans(args, size);
  check(args.empty() != has_non_blank(input));

  // Quoting reads back: one argument, the input itself.
  {
    const std::vector<Arg> back = split_windows_args(quote_windows_arg(input));
    check(back.size() == 1);
    check(back[0].value == input);
  }
  // Quoting every split argument and joining them gives the same arguments.
  {
    std::string joined;
    for (const Arg& arg : args) {
      if (!joined.empty()) joined += ' ';
      joined += quote_windows_arg(arg.value);
    }
    const std::vector<Arg> again = split_windows_args(joined);
    check(again.size() == args.size());
    for (std::size_t i = 0; i < args.size() && i < again.size(); ++i) {
      check(again[i].value == args[i].value);
    }
  }
  check(program_basename(input).size() <= size);
  check(remove_caret_escapes(input).size() <= size);

  // Peeling only removes text, is bounded, and warns only as documented.
  for (const std::size_t depth : {std::size_t{16}, std::size_t{2}, std::size_t{0}}) {
    const Unwrapped u = unwrap_command_line(input, depth);
    check(u.wrappers.size() <= depth);
    check(u.command.size() <= size);
    bool depth_limited = false;
    for (const std::string& w : u.warnings) {
      check(w == "depth limit" || w == "unterminated quote");
      depth_limited = depth_limited || w == "depth limit";
    }
    if (u.persistence) {
      check(u.persistence->mechanism == "schtasks" || u.persistence->mechanism == "run_key" ||
            u.persistence->mechanism == "service");
    }
    // A fully peeled command has nothing left to peel.
    if (!depth_limited && u.command.find('^') == std::string::npos) {
      const Unwrapped again = unwrap_command_line(u.command, depth);
      check(again.wrappers.empty());
      check(again.command == u.command);
    }
  }

  // PowerShell arguments.
  const Unwrapped u = unwrap_command_line(input);
  for (const std::string_view text : {input, std::string_view(u.command)}) {
    if (const auto ps = parse_powershell_command_line(text)) {
      check(is_powershell_program(ps->executable));
      check(ps->payload_begin <= ps->payload_end);
      check(ps->payload_end <= text.size());
      if (!ps->has_command && !ps->has_encoded_command) {
        check(ps->payload_begin == 0 && ps->payload_end == 0);
      }
      if (ps->has_encoded_command && !ps->has_command) {
        // The encoded command is one argument; its raw text is the payload span.
        check(ps->encoded_command.size() <= ps->payload_end - ps->payload_begin);
      }
    }
    if (const auto at = find_powershell_invocation(text)) {
      check(*at < text.size());
      std::size_t word = *at;
      if (text[word] == '"') ++word;
      check(word < text.size());
    }
  }
  return 0;
}
