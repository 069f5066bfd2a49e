// ioc/chain/report.hpp — cmdchain's job: event inputs -> forest -> trees or groups.
//
//   ChainOptions o;
//   o.group_by_parent = true;
//   run_cmdchain(input, o, out, diag);   // diag.exit_code(): 0 a tree, 1 none, 2 error
//
// Events are read with events::EventReader (one record per line; a CSV input is
// recognized by its header line), filtered (--host, --since, --until), linked
// into a chain::Forest, and written: `text` (an indented tree per host: time,
// image, user, integrity level, command line, and what psdecode decoded from an
// encoded command line), `jsonl` (one object per process in tree order),
// `json` (nested trees per host), or with group_by_parent one record per parent
// command line with its ordered children (text or jsonl). Records that are not
// events are reported with FILE:LINE and skipped; other event kinds are counted.
#pragma once

#include <string>
#include <vector>

#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/records.hpp"

namespace ioc::chain {

enum class ChainFormat { kText, kJsonl, kJson };

struct ChainOptions {
  ChainFormat format = ChainFormat::kText;
  bool group_by_parent = false;  ///< --group-by parent-cmdline
  bool across_hosts = false;     ///< groups across hosts
  bool wide = false;             ///< text: whole command lines
  bool decode = true;            ///< decode encoded command lines (psdecode's peeler)
  std::string host;              ///< only this host (case-insensitive)
  std::string since, until;      ///< ISO 8601 bounds on event time (inclusive)
  std::string root;              ///< GUID or PID: only its subtree
  std::string ancestors;         ///< GUID or PID: only its path to the root
  /// Only processes whose image file name / user contains this (case-insensitive),
  /// shown with their ancestors and descendants; with groups, only such children.
  std::string image, user;
};

/// Reads every input and writes the result. Returns false when output stopped
/// early (closed pipe).
bool run_cmdchain(const io::InputOptions& input, const ChainOptions& options, io::Output& out,
                  io::Diagnostics& diag);

}  // namespace ioc::chain
