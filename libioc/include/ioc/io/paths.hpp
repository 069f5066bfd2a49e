// ioc/io/paths.hpp — input arguments with directories expanded (-r).
//
//   auto files = io::expand_paths({"a.log", "logs/"}, /*recursive=*/true, diag,
//                                 "use -r to search it");
//   // {"a.log", "logs/x.log", "logs/y/z.log"}: the regular files under each
//   // directory, in sorted order so that output is reproducible
//
// Files and "-" pass through unchanged. Without `recursive` a directory is an I/O
// error "DIR: is a directory (HINT)" and is skipped; unreadable parts of a tree
// are reported and skipped (permission-denied subdirectories silently, as find).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ioc/io/diagnostics.hpp"

namespace ioc::io {

std::vector<std::string> expand_paths(const std::vector<std::string>& args, bool recursive,
                                      Diagnostics& diag, std::string_view hint);

}  // namespace ioc::io
