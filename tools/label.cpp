// label: people grade answers (--rate) or pick the better of two (--compare)
// in a browser page served by this tool; every keystroke is journaled and
// synced before the page hears it is saved, so nothing is ever lost.
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "prefline/cli/help.hpp"
#include "prefline/cli/tool.hpp"
#include "prefline/label/server.hpp"
#include "prefline/label/session.hpp"
#include "prefline/label/settings.hpp"
#include "prefline/label/terminal.hpp"

namespace {

namespace label = prefline::label;

constexpr std::string_view tool = "label";

constexpr std::string_view help_head = R"HELP(Usage: label --rate ITEMS.jsonl --grader NAME [OPTIONS]
       label --compare PAIRS.jsonl --grader NAME [OPTIONS]

Grade answers by hand in a browser page this tool serves (no CDN, no build
step, keyboard only). Every change is sent at once, appended to the grader's
journal and synced to disk before the page shows it saved: a reload, a
restart or a kill -9 loses nothing. Blind by default: model names hidden,
items in an order of the grader's own (seeded by the grader's name) and, in
--compare, sides swapped at random per item with the mapping recorded.

Modes (one of):
      --rate FILE         rate each answer on --scale scales; writes
                          OUT/<grader>.csv in the vizhub grader's layout
                          (challenge,model,type,passFail,grade,aesthetics,
                          reviewedBy,reviewedAt,notes), rewritten atomically
                          after each change; an auto-fail (key 0) is 0 on
                          both scales and passFail 'fail'; reviewedAt is
                          the time of that row's last change
      --compare FILE      pick the better of two answers per --criteria;
                          writes OUT/<grader>.votes.jsonl, vote records for
                          votes: {<--item fields>, "model_a", "model_b",
                          "winner" (a, b or tie), "rater", "criterion",
                          "shown" (the side shown on the left), "votedAt"}

Items:
      --item FIELDS       key fields of an item, comma-separated (default
                          challenge,model with --rate, which needs exactly
                          two: the sheet's challenge and model; id with
                          --compare)
      --prompt-field F    the item's prompt (default prompt)
      --prompts FILE      JSON Lines {<first --item field>, "prompt"}: the
                          prompt of items that have none of their own
  An answer is the item's 'response' string or its 'files' object (file
  name -> content, the vizhub layout); a files answer with index.html is
  shown running in a sandboxed frame from a second port, beside its source.
      --a FIELD           --compare: the first answer (default chosen)
      --b FIELD           --compare: the second answer (default rejected)
      --a-id PATH         --compare: the first side's id, a dotted path
                          (default: the --a field's name)
      --b-id PATH         --compare: the second side's id (default: the
                          --b field's name)

Grading:
      --grader NAME       whose grades these are: letters, digits, '.', '_',
                          '-' (a file stem). Without it, each page names
                          its grader with ?grader=NAME (a shared server)
      --out DIR           the folder of the graders' files (default grades);
                          OUT/<grader>.journal.jsonl is the journal
      --scale NAME=LO:HI  a rating scale, repeatable, at most two, 0 <= LO <
                          HI <= 5 (default technical=0:5 and aesthetics=0:5)
      --criteria LIST     --compare: the criteria, comma-separated (default
                          accuracy,safety,clarity,completeness,
                          actionability); an 'overall' vote always follows
      --show-models       show the item's key fields (model names) too
      --keys FILE         remap the page's keys: a JSON object of action ->
                          key code or list of codes (KeyboardEvent.code:
                          KeyD, ArrowRight, Space, Digit1...), e.g.
                          {"next":["KeyJ","Space"],"back":"KeyK"}. --rate
                          actions: back, next, clear, notes, disputed;
                          --compare: left, equal, right, up, down, back,
                          next. A key bound twice, or kept by the browser
                          or the page (Tab, Escape, Slash, F1-F12, the
                          modifiers; with --rate the digits), is an error
      --max-sd X          --rate: once two graders have journals in OUT, an
                          item whose grades on a scale have a sample sd
                          above X is disputed, to look at again (default
                          1.5, as consensus); the page shows the disputed
                          count and Krippendorff's alpha per scale

Terminal:
      --tty               grade at this terminal instead of a page (needs
                          --grader): the same items, keys, journal and
                          files. Text is paged (PgUp/PgDn, Home/End; with
                          --rate also the up/down arrows); an HTML answer
                          is shown as its source, and its index.html is
                          served on --files-port to open in a browser (o
                          runs xdg-open). A terminal sends characters, not
                          key positions: Shift+1-5 are the characters
                          ! @ # $ % of a US layout, and Alt+1-5 work on any
                          layout. q or Ctrl+C quits; every grade is saved
                          already. Data is shown inert: control characters
                          in caret notation (^[), never sent as commands

Server:
      --bind ADDR         address to listen on (default 127.0.0.1); any
                          other address needs a token
      --token TOKEN       every request must carry it (?token= or the
                          X-Label-Token header), else 403; 8 to 128
                          characters of A-Z a-z 0-9 _ -. Generated and
                          printed in the URL when --bind is not 127.0.0.1
      --port N            the page's port (default 8765; 0: any free port)
      --files-port N      the port answers' files are served from, another
                          origin (default 0: any free port)
      --max-body BYTES    largest request body (default 65536); a larger
                          one gets 413
      --page-size N       items the page may fetch at once, 1 to 1000
                          (default 100)
  -q, --quiet             print nothing but the URL line
  -h, --help              show this help and exit
      --version           show the version and exit

Default keys (the page's '?' shows them; --keys remaps all but the digits of
--rate and '?'): --rate: 1-5 first scale, Shift+1-5 second
scale (by key position, any keyboard layout), 0 auto-fail, Backspace clears
the first scale's score, left arrow or a back, right arrow, d or space next
(a grade never moves on by itself), n notes (Escape leaves them), r the next
disputed item. --compare:
1 left better, 2 equal, 3 right better for the selected criterion (then the
next one is selected), up/down arrows or w/s select, left/right/a/d/space
move between items.

Output on standard output: one line 'label: http://ADDR:PORT/?token=...&grader=NAME'
once both servers listen. Runs until interrupted. With --tty: the screen,
then one line saying what was graded and where.

Exit status:
  0  success
  1  bad input (message 'label: FILE:LINE: reason'), a bad journal line, or
     a port that cannot be bound
  2  bad option or option value (nothing is read)

Example:
  label --rate answers.jsonl --prompts challenges.jsonl --grader ej-fox --out grades/
)HELP";
void run(const label::Options& options) {
  const label::Settings settings = label::make_settings(options);
  if (settings.tty && !label::stdio_is_terminal())
    throw prefline::UsageError("--tty needs a terminal on standard input and output (over SSH: ssh -t HOST label --tty ...)");
  label::ItemList items = label::read_items(settings);
  std::error_code error;
  std::filesystem::create_directories(settings.out, error);
  if (error) throw prefline::DataError(fmt::format("cannot create '{}': {}", settings.out, error.message()));
  label::Labeler labeler(settings, std::move(items));
  if (!settings.grader.empty()) labeler.grader(settings.grader);  // replay now: a bad journal stops here
  if (settings.tty)
    label::run_terminal(settings, labeler);
  else
    label::serve_page(settings, labeler, options.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  label::Options options;
  return prefline::run_tool(
      tool, help_head, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--rate", options.rate);
        app.add_option("--compare", options.compare);
        app.add_option("--item", options.item);
        app.add_option("--prompt-field", options.prompt_field);
        app.add_option("--prompts", options.prompts);
        app.add_option("--a", options.a);
        app.add_option("--b", options.b);
        app.add_option("--a-id", options.a_id);
        app.add_option("--b-id", options.b_id);
        app.add_option("--grader", options.grader);
        app.add_option("--out", options.out);
        app.add_option("--scale", options.scales);
        app.add_option("--criteria", options.criteria);
        app.add_flag("--show-models", options.show_models);
        app.add_option("--max-sd", options.max_sd);
        app.add_option("--keys", options.keys);
        app.add_option("--bind", options.bind);
        app.add_option("--token", options.token);
        app.add_option("--port", options.port);
        app.add_option("--files-port", options.files_port);
        app.add_option("--max-body", options.max_body);
        app.add_option("--page-size", options.page_size);
        app.add_flag("--tty", options.tty);
        app.add_flag("-q,--quiet", options.quiet);
      },
      [&] { run(options); });
}
