#include "common/options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "ioc/core/version.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/recipe/library.hpp"
#include "ioc/recipe/registry.hpp"
#include "ioc/recipe/run.hpp"

namespace ioc::tools {
namespace po = boost::program_options;

namespace {

constexpr unsigned kHelpWidth = 100;

std::string format_choices(std::string_view extra) {
  std::vector<std::string_view> names = {"text", "jsonl", "csv", "tsv"};
  while (!extra.empty()) {
    const std::size_t sp = extra.find(' ');
    names.push_back(extra.substr(0, sp));
    extra = sp == std::string_view::npos ? std::string_view{} : extra.substr(sp + 1);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

bool is_extra_format(std::string_view extra, std::string_view name) {
  while (!extra.empty()) {
    const std::size_t sp = extra.find(' ');
    if (extra.substr(0, sp) == name) return true;
    if (sp == std::string_view::npos) break;
    extra.remove_prefix(sp + 1);
  }
  return false;
}

void print_operations(io::OutputFormat format) {
  io::Output out;
  if (format == io::OutputFormat::kJsonl) {
    for (const auto& op : recipe::operations()) {
      nlohmann::ordered_json j;
      j["name"] = op.name;
      j["summary"] = op.summary;
      j["cyberchef_name"] = op.cyberchef_name;
      j["args"] = nlohmann::ordered_json::array();
      for (const auto& a : op.args) {
        nlohmann::ordered_json arg;
        arg["name"] = a.name;
        arg["type"] = recipe::arg_type_name(a.type);
        arg["default"] = a.default_value;
        if (!a.choices.empty())
          arg["choices"] = std::vector<std::string>(a.choices.begin(), a.choices.end());
        arg["summary"] = a.summary;
        j["args"].push_back(arg);
      }
      out.write(j.dump());
      out.end_record();
    }
    return;
  }
  std::size_t width = 0;
  for (const auto& op : recipe::operations()) width = std::max(width, op.name.size());
  for (const auto& op : recipe::operations()) {
    std::string line(op.name);
    line.append(width + 2 - op.name.size(), ' ');
    line += op.summary;
    if (!op.cyberchef_name.empty()) line += " [CyberChef: " + std::string(op.cyberchef_name) + "]";
    out.write(line);
    out.end_record();
  }
}

int print_operation_help(std::string_view tool, const std::string& name) {
  const recipe::OperationInfo* op = recipe::find_operation(name);
  if (op == nullptr) op = recipe::find_cyberchef_operation(name);
  if (op == nullptr) {
    std::cerr << tool << ": " << recipe::unknown_operation_message(name) << '\n';
    return 2;
  }
  std::cout << op->name << " - " << op->summary << '\n';
  if (!op->cyberchef_name.empty()) std::cout << "CyberChef: " << op->cyberchef_name << '\n';
  if (op->args.empty()) {
    std::cout << "Arguments: none\n";
    return 0;
  }
  std::cout << "Arguments (positional in this order, or name=value):\n";
  for (const auto& a : op->args) {
    std::cout << "  " << a.name << " (" << recipe::arg_type_name(a.type) << ", default '"
              << a.default_value << "')";
    if (!a.choices.empty()) {
      std::cout << " one of:";
      for (auto c : a.choices) std::cout << ' ' << c;
    }
    std::cout << "\n      " << a.summary << '\n';
  }
  return 0;
}

void print_recipes(io::OutputFormat format) {
  io::Output out;
  for (const auto& r : recipe::list_recipes()) {
    if (format == io::OutputFormat::kJsonl) {
      nlohmann::ordered_json j;
      j["name"] = r.name;
      j["summary"] = r.summary;
      j["path"] = r.path.string();
      out.write(j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    } else {
      out.write(r.name);
      out.put('\t');
      out.write(r.summary);
    }
    out.end_record();
  }
}

int print_recipe(std::string_view tool, const std::string& spec) {
  auto r = recipe::load_recipe(spec);
  if (!r) {
    std::cerr << tool << ": " << r.error().message << '\n';
    return 2;
  }
  std::cout << "recipe:    " << recipe::to_text(*r) << '\n';
  auto json = recipe::to_cyberchef_json(*r);
  auto compact = recipe::to_cyberchef_compact(*r);
  if (json) {
    std::cout << "cyberchef: " << *json << '\n' << "chef:      " << *compact << '\n';
  } else {
    std::cout << "cyberchef: (none: " << json.error().message << ")\n";
  }
  return 0;
}

Result<std::size_t> size_option(const po::variables_map& vm, const char* name,
                                std::size_t fallback) {
  if (!vm.count(name)) return fallback;
  auto r = parse_size(vm[name].as<std::string>());
  if (!r) return make_error(ErrorCode::kUsage, "--" + std::string(name) + ": " + r.error().message);
  return r;
}

}  // namespace

CommandLine::CommandLine(const ToolInfo& info)
    : info_(info),
      generic_("General", kHelpWidth),
      input_("Input", kHelpWidth),
      output_("Output", kHelpWidth),
      recipe_("Recipes", kHelpWidth),
      limits_("Limits", kHelpWidth),
      tool_(std::string(info.name) + " options", kHelpWidth) {
  generic_.add_options()("help,h", "print this help and exit")("version,V",
                                                               "print the version and exit");
  input_.add_options()("null-data,z", "records are separated by NUL bytes, not newlines")(
      "whole", "treat each input file as one record")(
      "field", po::value<std::string>()->value_name("NAME"),
      "act on field NAME of JSON-lines or CSV records (a dotted path reaches into nested "
      "JSON); the other fields pass through")(
      "input-format", po::value<std::string>()->value_name("FMT")->default_value("auto"),
      "record format for --field: auto, jsonl, csv or tsv");
  output_.add_options()("format,f",
                        po::value<std::string>()->value_name("FMT")->default_value("text"),
                        ("output format: " + format_choices(info.extra_formats)).c_str())(
      "output-field", po::value<std::string>()->value_name("NAME"),
      "with --field: the key the result is added under (default FIELD_decoded)")(
      "stats", "print counts of records read, decoded and failed on stderr")(
      "no-messages,s", "do not print per-record problems (they are still counted)");
  if (info.recipe_short_r) {
    recipe_.add_options()(
        "recipe,r", po::value<std::string>()->value_name("RECIPE"),
        "apply RECIPE (a name, a file, or inline text; our syntax or CyberChef's) "
        "to every record");
  } else {
    recipe_.add_options()(
        "recipe", po::value<std::string>()->value_name("RECIPE"),
        "apply RECIPE (a name, a file, or inline text; our syntax or CyberChef's) "
        "to every record");
  }
  recipe_.add_options()("list-operations",
                        "list the operations recipes can use (with --format jsonl: as JSON)")(
      "help-op", po::value<std::string>()->value_name("OP"),
      "describe operation OP and its arguments")(
      "list-recipes", "list the named recipes and where they are searched")(
      "print-recipe", "print the --recipe in our syntax and as a CyberChef recipe, then exit");
  limits_.add_options()(
      "max-line", po::value<std::string>()->value_name("SIZE"),
      "longest record read (default 256M); longer records are reported and skipped")(
      "max-output", po::value<std::string>()->value_name("SIZE"),
      "largest output of one decoding step (default 64M)")(
      "max-inflate", po::value<std::string>()->value_name("SIZE"),
      "largest output of one decompression (default 256M)")(
      "max-ratio", po::value<std::size_t>()->value_name("N"),
      "largest decompression ratio N:1 (default 1000)")("max-depth",
                                                        po::value<std::size_t>()->value_name("N"),
                                                        "deepest decoding nesting (default 16)");
}

int CommandLine::usage_error(std::string_view message) const {
  std::cerr << info_.name << ": " << message << "\nTry '" << info_.name
            << " --help' for more information.\n";
  return 2;
}

void CommandLine::print_help() const {
  std::cout << "Usage: " << info_.name << ' ' << info_.usage << '\n' << info_.summary << "\n\n";
  if (!tool_.options().empty()) std::cout << tool_ << '\n';
  std::cout << input_ << '\n'
            << output_ << '\n'
            << recipe_ << '\n'
            << limits_ << '\n'
            << generic_ << "\nWith no FILE, or when FILE is -, read standard input.\n"
            << "Exit status: 0 if a record was " << info_.ok_verb
            << ", 1 if none was, 2 on a usage or I/O error.\n"
            << "Full documentation: man " << info_.name << "; operations: man ioc-recipes\n";
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
  po::options_description all;
  all.add(generic_).add(input_).add(output_).add(recipe_).add(limits_).add(tool_);
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>(&inputs_), "input files");
  all.add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm_);
    po::notify(vm_);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  return finish_parse();
}

std::optional<int> CommandLine::finish_parse() {
  if (vm_.count("help")) {
    print_help();
    return 0;
  }
  if (vm_.count("version")) {
    std::cout << info_.name << " (ioc-toolkit) " << ioc::version() << '\n';
    return 0;
  }
  common_.format_name = vm_["format"].as<std::string>();
  if (is_extra_format(info_.extra_formats, common_.format_name)) {
    common_.extra_format = true;
  } else {
    auto format = io::parse_output_format(common_.format_name);
    if (!format)
      return usage_error("--format: unknown format '" + common_.format_name + "'; use " +
                         format_choices(info_.extra_formats));
    common_.format = *format;
  }
  if (vm_.count("list-operations")) {
    print_operations(common_.format);
    return 0;
  }
  if (vm_.count("help-op"))
    return print_operation_help(info_.name, vm_["help-op"].as<std::string>());
  if (vm_.count("list-recipes")) {
    print_recipes(common_.format);
    return 0;
  }
  if (vm_.count("recipe")) common_.recipe = vm_["recipe"].as<std::string>();
  if (!common_.recipe.empty() && common_.extra_format)
    return usage_error("--recipe writes text, jsonl, csv or tsv, not " + common_.format_name);
  if (vm_.count("print-recipe")) {
    if (common_.recipe.empty()) return usage_error("--print-recipe needs --recipe");
    return print_recipe(info_.name, common_.recipe);
  }

  auto record_format = io::parse_record_format(vm_["input-format"].as<std::string>());
  if (!record_format) return usage_error("--input-format: " + record_format.error().message);
  Limits& limits = common_.limits;
  auto max_line = size_option(vm_, "max-line", limits.max_line);
  auto max_output = size_option(vm_, "max-output", limits.max_output);
  auto max_inflate = size_option(vm_, "max-inflate", limits.max_inflate_total);
  for (auto* r : {&max_line, &max_output, &max_inflate})
    if (!*r) return usage_error(r->error().message);
  limits.max_line = *max_line;
  limits.max_output = *max_output;
  limits.max_inflate_total = *max_inflate;
  if (vm_.count("max-ratio")) limits.max_inflate_ratio = vm_["max-ratio"].as<std::size_t>();
  if (vm_.count("max-depth")) limits.max_depth = vm_["max-depth"].as<std::size_t>();
  if (limits.max_inflate_ratio == 0 || limits.max_depth == 0)
    return usage_error("--max-ratio and --max-depth must be at least 1");

  io::InputOptions& in = common_.input;
  in.paths = inputs_;
  in.separator = vm_.count("null-data") ? '\0' : '\n';
  in.max_line = limits.max_line;
  in.whole = vm_.count("whole") > 0;
  in.field_format = *record_format;
  in.max_nesting = limits.max_nesting;
  if (vm_.count("field")) {
    in.field = vm_["field"].as<std::string>();
    if (in.field.empty()) return usage_error("--field needs a field name");
    if (in.whole) return usage_error("--field and --whole cannot be combined");
  }
  if (vm_.count("output-field")) {
    if (in.field.empty()) return usage_error("--output-field needs --field");
    common_.output_key = vm_["output-field"].as<std::string>();
  }
  common_.stats = vm_.count("stats") > 0;
  common_.no_messages = vm_.count("no-messages") > 0;
  return std::nullopt;
}

int run_job(const CommandLine& cmd, const std::function<void(io::Output&, io::Diagnostics&)>& job,
            bool hit_wins) {
  const CommonOptions& opt = cmd.common();
  io::ignore_sigpipe();
  io::Diagnostics diag(std::string(cmd.info().name), std::string(cmd.info().ok_verb));
  diag.set_quiet(opt.no_messages);
  int code = 0;
  {
    io::Output out;
    job(out, diag);
    out.flush();
    if (out.failed()) diag.io_error("write error: " + out.error());
    code = out.broken_pipe() ? 0 : diag.exit_code();
    if (hit_wins && diag.ok() > 0) code = 0;
  }
  if (opt.stats || (isatty(2) && diag.failed() > 0)) diag.print_summary();
  return code;
}

std::optional<std::time_t> source_date_epoch_or_now() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch == nullptr) return std::time(nullptr);
  char* end = nullptr;
  const long long v = std::strtoll(epoch, &end, 10);
  if (end == epoch || *end != '\0' || v < 0) return std::nullopt;
  return static_cast<std::time_t>(v);
}

std::optional<std::time_t> parse_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const long long seconds = std::strtoll(text.c_str(), &end, 10);
  if (*end == '\0' && seconds >= 0) return static_cast<std::time_t>(seconds);
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (rest == nullptr || *rest != '\0') {
    tm = {};
    rest = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (rest == nullptr || *rest != '\0') return std::nullopt;
  return timegm(&tm);
}

int run_recipe_mode(const CommandLine& cmd) {
  const CommonOptions& opt = cmd.common();
  auto recipe = recipe::load_recipe(opt.recipe);
  if (!recipe) {
    std::cerr << cmd.info().name << ": " << recipe.error().message << '\n';
    return 2;
  }
  return run_job(cmd, [&](io::Output& out, io::Diagnostics& diag) {
    std::vector<std::string> columns;
    if (opt.input.field.empty()) columns = {"source", "output", "output_base64", "warnings"};
    // -z ends text records with NUL, like grep -z; JSON lines and CSV keep '\n'.
    const char terminator = opt.format == io::OutputFormat::kText ? opt.input.separator : '\n';
    io::RecordWriter writer(out, opt.format, columns, "output", terminator);
    recipe::run_recipe_on_records(*recipe, opt.input, {opt.limits, opt.output_key}, writer, out,
                                  diag);
    out.flush();
    if (!writer.dropped_keys().empty()) {
      std::string keys;
      for (const auto& k : writer.dropped_keys()) keys += (keys.empty() ? "" : ", ") + k;
      diag.note("columns not in the " + std::string(io::output_format_name(opt.format)) +
                " header were left out: " + keys);
    }
  });
}

int report_internal_error(std::string_view tool, const std::exception& e) {
  std::cerr << tool << ": internal error: " << e.what() << '\n';
  return 2;
}

int run_recipe_only_tool(const ToolInfo& info, int argc, char** argv, std::string_view pending) {
  try {
    CommandLine cmd(info);
    if (auto code = cmd.parse(argc, argv)) return *code;
    if (!cmd.common().recipe.empty()) return run_recipe_mode(cmd);
    return cmd.usage_error(pending);
  } catch (const std::exception& e) {
    return report_internal_error(info.name, e);
  }
}

}  // namespace ioc::tools
