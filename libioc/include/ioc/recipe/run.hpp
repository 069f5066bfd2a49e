// ioc/recipe/run.hpp — running a recipe on bytes, and on every record of the inputs.
//
//   OpContext ctx;                                   // limits + warnings
//   auto out = run_recipe(recipe, blob, ctx);
//   // error: "step 2 (decode_text): odd number of bytes in UTF-16 input at offset 7"
//
// Each step's output is the next step's input. The first failing step stops the
// recipe; its error message names the step (1-based) and the operation. An
// output larger than ctx.limits.max_output is kLimitExceeded.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/records.hpp"
#include "ioc/io/writer.hpp"
#include "ioc/recipe/parse.hpp"

namespace ioc::recipe {

Result<std::string> run_recipe(const Recipe& recipe, std::string_view input, OpContext& ctx);

struct RecordRunOptions {
  Limits limits;
  /// With --field: the key added to each record for the result (default
  /// "<field>_decoded"); errors go to "<field>_error".
  std::string output_key;
};

/// The recipe runner every tool offers: runs `recipe` on each record of the
/// inputs and writes one output record per input record:
///  * text: the result bytes (escaped on a terminal), or with --field the same;
///  * jsonl/csv/tsv: {source, output} — or output_base64 when the result is not
///    UTF-8 — plus warnings[] when a step noticed something; with --field the
///    input record with the result added under output_key.
/// Failing records are reported on stderr with FILE:LINE and counted; with
/// --field they are still written, carrying "<field>_error". Returns false if
/// the output went away (broken pipe).
bool run_recipe_on_records(const Recipe& recipe, const io::InputOptions& input,
                           const RecordRunOptions& options, io::RecordWriter& writer,
                           io::Output& out, io::Diagnostics& diag);

}  // namespace ioc::recipe
