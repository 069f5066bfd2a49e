// ioc-gen-docs — writes man/ioc-recipes.7.md from the operation registry, so the
// operation reference cannot drift from the code (tests/docs/check_docs.py
// compares the committed file with this program's output).
#include <iostream>
#include <string>

#include "ioc/recipe/library.hpp"
#include "ioc/recipe/registry.hpp"

namespace {

// Backslashes and characters markdown would eat, inside `code` spans.
std::string code(std::string_view s) {
  if (s.empty()) return "''";
  return "`" + std::string(s) + "`";
}

}  // namespace

int main() {
  using ioc::recipe::arg_type_name;
  std::cout << R"MD(ioc-recipes(7) -- operations and recipes of ioc-toolkit
=======================================================

## DESCRIPTION

Every tool of ioc-toolkit (psdecode(1), iocgrep(1), certsum(1), cmdchain(1)) takes
`--recipe` RECIPE: a chain of operations applied to each input record, as in
CyberChef. RECIPE is the name of a shipped recipe (`--list-recipes`), a file, or
inline text. This page lists every operation; it is generated from the tools'
operation registry (`--list-operations` prints the same list).

## SYNTAX

One operation per line, or several on one line separated by `|`. An operation
is its name followed by arguments, positional (in the order listed below) or as
`name=value`. Values with spaces are quoted: 'single quotes' take the text as
is, "double quotes" understand `\n`, `\t`, `\\`, `\"` and `\xNN`. `#` at the
start of a word begins a comment.

    # recipes/ps-enc.recipe
    from_base64
    decode_text utf-16le
    to_lower_case

    psdecode -r 'from_base64 | decode_text utf-16le' < blobs.txt

CyberChef recipes are taken as they are, in either of CyberChef's forms: the
JSON of "Save recipe" and the compact form of its URLs:

    [{"op":"From Base64","args":["A-Za-z0-9+/=",true,false]},{"op":"Decode text","args":["UTF-16LE (1200)"]}]
    From_Base64('A-Za-z0-9+/=',true,false)Decode_text('UTF-16LE (1200)')

Disabled CyberChef steps are skipped and breakpoints ignored. A CyberChef
argument that an operation cannot honour is an error, never silently changed.
`--print-recipe` shows a recipe in all three forms.

A recipe runs once per record. The first failing step stops that record; the
error names the step, for example `psdecode: blobs.txt:7: step 1 (from_base64):
invalid base64 character '!' at offset 3`, and the tool goes on with the next
record.

## OPERATIONS

)MD";
  for (const auto& op : ioc::recipe::operations()) {
    std::cout << "### " << op.name << "\n\n" << op.summary << ".";
    if (!op.cyberchef_name.empty()) std::cout << " CyberChef: *" << op.cyberchef_name << "*.";
    std::cout << "\n\n";
    for (const auto& a : op.args) {
      std::cout << "  * " << code(a.name) << " (" << arg_type_name(a.type) << ", default "
                << code(a.default_value) << "):\n    " << a.summary;
      if (!a.choices.empty()) {
        std::cout << ". One of:";
        for (auto c : a.choices) std::cout << ' ' << code(c);
      }
      std::cout << ".\n\n";
    }
  }
  std::cout << R"MD(## NAMED RECIPES

Named recipes are files NAME.recipe searched in each directory of
`$IOC_RECIPE_PATH` (colon-separated), then in the installed data directory
(share/ioc-toolkit/recipes). The toolkit ships these:

)MD";
  for (const auto& r : ioc::recipe::list_recipes()) {
    if (r.path.parent_path().filename() != "recipes") continue;
    std::cout << "  * " << code(r.name) << ":\n    " << r.summary << "\n\n";
  }
  std::cout << R"MD(## ENVIRONMENT

  * `IOC_RECIPE_PATH`:
    Directories searched first for named recipes, separated by colons.

## SEE ALSO

psdecode(1), iocgrep(1), certsum(1), cmdchain(1)
)MD";
  return 0;
}
