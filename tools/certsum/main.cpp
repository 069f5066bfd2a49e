// certsum — one record per X.509 certificate, with fingerprints, serials and C2
// default-certificate flags. A thin front-end: options here, the work in libioc
// (x509/cert.hpp, x509/c2.hpp, x509/report.hpp).
#include <cstdint>
#include <exception>

#include "common/options.hpp"
#include "ioc/io/output.hpp"
#include "ioc/x509/report.hpp"

namespace {

namespace po = boost::program_options;

int run(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "certsum",
      .summary =
          "One record per X.509 certificate, with fingerprints, serials and C2 default-certificate "
          "flags.",
      .usage = "[OPTIONS] [FILE|DIR]...",
      .recipe_short_r = false,
      .ok_verb = "summarized",
  };
  ioc::tools::CommandLine cmd(kInfo);
  cmd.tool_options().add_options()("recursive,r",
                                   "read every regular file under directory arguments")(
      "password", po::value<std::string>()->value_name("PASS"),
      "the password of PKCS#12 (.p12/.pfx) inputs (default: empty)")(
      "match,m", po::value<std::vector<std::string>>()->value_name("VALUE"),
      "only certificates with this serial (hex or decimal) or MD5/SHA-1/SHA-256 digest "
      "(repeatable)")("flagged", "only certificates that match a C2 default-certificate rule")(
      "rules", po::value<std::string>()->value_name("FILE"),
      "C2 rule table to use instead of the shipped c2-certificates.json")(
      "connect", po::value<std::vector<std::string>>()->value_name("HOST[:PORT]"),
      "fetch the chain a live TLS server presents (port 443 by default; [v6]:port; "
      "repeatable); nothing is verified")("sni", po::value<std::string>()->value_name("NAME"),
                                          "with --connect: the server name to send (default: "
                                          "the host when it is a name)")(
      "timeout", po::value<std::uint32_t>()->value_name("SECONDS"),
      "with --connect: give up after SECONDS (default 10)")(
      "starttls", po::value<std::string>()->value_name("PROTO"),
      "with --connect: speak smtp, imap or ftp first, then switch to TLS")(
      "splunk",
      "Splunk Stream's field names: ssl_subject, ssl_issuer (the oneline form), ssl_serial "
      "(decimal), ssl_hash (MD5 of the DER); text: a search clause")(
      "now", po::value<std::string>()->value_name("TIME"),
      "judge expiry at TIME (seconds since the epoch or ISO 8601 UTC; default: "
      "SOURCE_DATE_EPOCH, else the clock)");
  if (auto code = cmd.parse(argc, argv)) return *code;
  const auto& common = cmd.common();
  if (!common.recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  const auto& vm = cmd.vm();
  if (!common.input.field.empty() || common.input.whole || common.input.separator != '\n')
    return cmd.usage_error("--field, --whole and -z do not apply: certsum reads whole files");

  ioc::x509::CertsumOptions o;
  o.format = common.format;
  o.recursive = vm.count("recursive") > 0;
  o.flagged_only = vm.count("flagged") > 0;
  o.splunk = vm.count("splunk") > 0;
  if (vm.count("password")) o.load.password = vm["password"].as<std::string>();
  if (vm.count("match")) o.match = vm["match"].as<std::vector<std::string>>();
  o.max_input = common.limits.max_line;
  const auto now = ioc::tools::source_date_epoch_or_now();
  if (!now) return cmd.usage_error("SOURCE_DATE_EPOCH must be a number of seconds");
  o.now = *now;
  if (vm.count("now")) {
    auto t = ioc::tools::parse_time(vm["now"].as<std::string>());
    if (!t) return cmd.usage_error("--now: use seconds since the epoch or YYYY-MM-DD[THH:MM:SSZ]");
    o.now = *t;
  }
  const std::string rules_path =
      vm.count("rules") ? vm["rules"].as<std::string>() : ioc::x509::default_c2_rules_path();
  auto rules = ioc::x509::load_c2_rules(rules_path);
  if (!rules) return cmd.usage_error("--rules: " + rules.error().message);
  o.rules = &*rules;

  std::vector<ioc::x509::FetchOptions> servers;
  if (vm.count("connect")) {
    if (!common.input.paths.empty())
      return cmd.usage_error("--connect reads from servers: give no FILE");
    for (const std::string& spec : vm["connect"].as<std::vector<std::string>>()) {
      auto ep = ioc::x509::parse_endpoint(spec);
      if (!ep) return cmd.usage_error("--connect: " + ep.error().message);
      ioc::x509::FetchOptions f;
      f.endpoint = *ep;
      if (vm.count("sni")) f.sni = vm["sni"].as<std::string>();
      if (vm.count("timeout")) {
        const std::uint32_t seconds = vm["timeout"].as<std::uint32_t>();
        if (seconds == 0 || seconds > 3600) return cmd.usage_error("--timeout: 1 to 3600 seconds");
        f.timeout_ms = seconds * 1000;
      }
      if (vm.count("starttls")) {
        f.starttls = vm["starttls"].as<std::string>();
        if (f.starttls != "smtp" && f.starttls != "imap" && f.starttls != "ftp")
          return cmd.usage_error("--starttls: use smtp, imap or ftp");
      }
      servers.push_back(std::move(f));
    }
  } else {
    for (const char* opt : {"sni", "timeout", "starttls"})
      if (vm.count(opt)) return cmd.usage_error(std::string("--") + opt + " needs --connect");
  }

  return ioc::tools::run_job(cmd, [&](ioc::io::Output& out, ioc::io::Diagnostics& diag) {
    if (!servers.empty())
      ioc::x509::certsum_servers(servers, o, out, diag);
    else
      ioc::x509::certsum_inputs(common.input.paths, o, out, diag);
  });
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return ioc::tools::report_internal_error("certsum", e);
  }
}
