// Record schemas of DESIGN.md §3: every field name a tool reads or writes is
// spelled here once. Tools refer to these names, never to string literals.
#pragma once

#include <string_view>

namespace prefline::schema {

// Grade record (csv2jsonl output): one object per CSV row, keys = header names.
namespace grade {
inline constexpr std::string_view source = "_source";  // appended by --source
// The vizhub grader header, the reference example and the defaults of consensus.
inline constexpr std::string_view challenge = "challenge";
inline constexpr std::string_view model = "model";
inline constexpr std::string_view type = "type";
inline constexpr std::string_view pass_fail = "passFail";
inline constexpr std::string_view technical_score = "grade";
inline constexpr std::string_view aesthetic_score = "aesthetics";
inline constexpr std::string_view reviewed_by = "reviewedBy";
inline constexpr std::string_view reviewed_at = "reviewedAt";
inline constexpr std::string_view notes = "notes";
}  // namespace grade

// Item record (consensus output), one per item key.
namespace item {
inline constexpr std::string_view scores = "scores";
inline constexpr std::string_view overall = "overall";
inline constexpr std::string_view vote_count = "vote_count";
inline constexpr std::string_view raters = "raters";
inline constexpr std::string_view flags = "flags";
// Statistics of one dimension inside "scores".
inline constexpr std::string_view mean = "mean";
inline constexpr std::string_view median = "median";
inline constexpr std::string_view trimmed_mean = "trimmed_mean";
inline constexpr std::string_view sd = "sd";
inline constexpr std::string_view min = "min";
inline constexpr std::string_view max = "max";
inline constexpr std::string_view n = "n";
// Flags.
inline constexpr std::string_view flag_high_variance = "high_variance";
inline constexpr std::string_view flag_low_votes = "low_votes";
inline constexpr std::string_view flag_duplicate_grades = "duplicate_grades";
}  // namespace item

// Partial item state (consensus --partial output, consensus --merge input).
namespace partial {
inline constexpr std::string_view item = "item";
inline constexpr std::string_view keep = "keep";
inline constexpr std::string_view dimensions = "dimensions";
inline constexpr std::string_view grades = "grades";
inline constexpr std::string_view rater = "rater";
inline constexpr std::string_view time = "time";  // microseconds since the epoch, or null
inline constexpr std::string_view values = "values";
inline constexpr std::string_view counts = "counts";
}  // namespace partial

// Agreement report (consensus --stats).
namespace agreement {
inline constexpr std::string_view items = "items";
inline constexpr std::string_view items_written = "items_written";
inline constexpr std::string_view dimensions = "dimensions";
inline constexpr std::string_view alpha_interval = "alpha_interval";
inline constexpr std::string_view alpha_ordinal = "alpha_ordinal";
inline constexpr std::string_view units = "units";
inline constexpr std::string_view pairable_values = "pairable_values";
inline constexpr std::string_view raters = "raters";
inline constexpr std::string_view rater = "rater";
inline constexpr std::string_view items_graded = "items_graded";
inline constexpr std::string_view values = "values";
inline constexpr std::string_view mean_score = "mean_score";
inline constexpr std::string_view mean_deviation = "mean_deviation";
inline constexpr std::string_view share_far = "share_far";
inline constexpr std::string_view compared_items = "compared_items";
}  // namespace agreement

// Pair record (pairup output), the seed exporter's schema.
namespace pair {
inline constexpr std::string_view prompt = "prompt";
inline constexpr std::string_view chosen = "chosen";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view metadata = "metadata";
inline constexpr std::string_view chosen_prefix = "chosen_";  // + the candidate field, e.g. chosen_model
inline constexpr std::string_view rejected_prefix = "rejected_";
inline constexpr std::string_view chosen_scores = "chosen_scores";
inline constexpr std::string_view rejected_scores = "rejected_scores";
inline constexpr std::string_view score_difference = "score_difference";
inline constexpr std::string_view dataset_version = "dataset_version";
inline constexpr std::string_view generated_at = "generated_at";
}  // namespace pair

// Texts that pairup reads (--responses, --prompts, or the items themselves).
namespace sources {
inline constexpr std::string_view response = "response";
inline constexpr std::string_view files = "files";  // object: file name -> content
}  // namespace sources

// Pair statistics (pairup --stats), after the reference exporter's meta.json.
namespace pair_meta {
inline constexpr std::string_view total_examples = "total_examples";
inline constexpr std::string_view export_timestamp = "export_timestamp";
inline constexpr std::string_view format_version = "format_version";
inline constexpr std::string_view pairs_per_group = "pairs_per_group";
inline constexpr std::string_view dropped = "dropped";
inline constexpr std::string_view missing_text = "missing_text";
inline constexpr std::string_view empty_text = "empty_text";
inline constexpr std::string_view identical_texts = "identical_texts";
inline constexpr std::string_view items = "items";
inline constexpr std::string_view read = "read";
inline constexpr std::string_view without_score = "without_score";
inline constexpr std::string_view below_min_votes = "below_min_votes";
}  // namespace pair_meta

// Duel turn (duel-judge input) and judged turn (its output).
namespace duel {
inline constexpr std::string_view king = "king";            // answer A, the baseline
inline constexpr std::string_view challenger = "challenger";// answer B, the candidate
inline constexpr std::string_view messages = "messages";    // OpenAI-style [{role, content}]
inline constexpr std::string_view prompt = "prompt";
inline constexpr std::string_view role = "role";
inline constexpr std::string_view content = "content";
inline constexpr std::string_view judgements = "judgements";
inline constexpr std::string_view judge = "judge";
inline constexpr std::string_view order = "order";
inline constexpr std::string_view verdict = "verdict";
inline constexpr std::string_view reply = "reply";
// The object duel-judge appends.
inline constexpr std::string_view duel = "duel";
inline constexpr std::string_view score = "score";
inline constexpr std::string_view delta = "delta";
inline constexpr std::string_view parsed = "parsed";
inline constexpr std::string_view by_metric = "by_metric";
inline constexpr std::string_view by_judge = "by_judge";
inline constexpr std::string_view error = "error";  // why a judgement has no verdict
}  // namespace duel

// A judge of the panel (duel-judge --judges FILE).
namespace judge_config {
inline constexpr std::string_view name = "name";
inline constexpr std::string_view url = "url";
inline constexpr std::string_view model = "model";
inline constexpr std::string_view api_key_env = "api_key_env";
inline constexpr std::string_view max_tokens = "max_tokens";
inline constexpr std::string_view temperature = "temperature";
inline constexpr std::string_view command = "command";
}  // namespace judge_config

// The duel statistics (duel-judge --stats FILE).
namespace duel_summary {
inline constexpr std::string_view n_done = "n_done";
inline constexpr std::string_view n_valid = "n_valid";
inline constexpr std::string_view valid_frac = "valid_frac";
inline constexpr std::string_view challenger_score = "challenger_score";
inline constexpr std::string_view king_score = "king_score";
inline constexpr std::string_view winner = "winner";
inline constexpr std::string_view win_margin = "win_margin";
inline constexpr std::string_view margin_ok = "margin_ok";
inline constexpr std::string_view mean_delta = "mean_delta";
inline constexpr std::string_view lcb = "lcb";
inline constexpr std::string_view se = "se";
inline constexpr std::string_view min_valid_frac = "min_valid_frac";
inline constexpr std::string_view accepted = "accepted";
inline constexpr std::string_view judges = "judges";
inline constexpr std::string_view calls = "calls";
inline constexpr std::string_view retries = "retries";
inline constexpr std::string_view parse_failures = "parse_failures";
inline constexpr std::string_view failures = "failures";
}  // namespace duel_summary

// Routed record (bucket output): the input record plus this field (--as).
namespace routed {
inline constexpr std::string_view bucket = "bucket";
}  // namespace routed

// What report reads besides the schemas above: a judged turn's id (--id).
namespace report {
inline constexpr std::string_view id = "id";
}  // namespace report

// Bucket counts (bucket --stats).
namespace bucket_summary {
inline constexpr std::string_view total = "total";
inline constexpr std::string_view buckets = "buckets";
inline constexpr std::string_view passed = "passed";
}  // namespace bucket_summary

// What export reads besides pair records: an SFT example, a context (the
// pair record's 'prompt', or 'messages', OpenAI-style [{role, content}]) and a
// 'response'; and the field routing a record to a dataset split (export --bucket-field).
namespace sft {
inline constexpr std::string_view messages = "messages";
inline constexpr std::string_view response = "response";
inline constexpr std::string_view split = "split";
inline constexpr std::string_view default_split = "train";
}  // namespace sft

// Chat messages (OpenAI style), in export's input and in the formats it writes.
namespace chat {
inline constexpr std::string_view role = "role";
inline constexpr std::string_view content = "content";
inline constexpr std::string_view system = "system";
inline constexpr std::string_view user = "user";
inline constexpr std::string_view assistant = "assistant";
}  // namespace chat

// The trainer file formats export writes (see export --help for the sources).
namespace trainer {
inline constexpr std::string_view margin = "margin";                      // trl, trl-chat
inline constexpr std::string_view input = "input";                        // openai-dpo
inline constexpr std::string_view messages = "messages";                  // openai-dpo, openai-sft
inline constexpr std::string_view preferred_output = "preferred_output";  // openai-dpo
inline constexpr std::string_view non_preferred_output = "non_preferred_output";
inline constexpr std::string_view instruction = "instruction";            // alpaca
inline constexpr std::string_view alpaca_input = "input";
inline constexpr std::string_view output = "output";
inline constexpr std::string_view conversations = "conversations";        // sharegpt
inline constexpr std::string_view from = "from";
inline constexpr std::string_view value = "value";
inline constexpr std::string_view sharegpt_system = "system";
inline constexpr std::string_view sharegpt_human = "human";
inline constexpr std::string_view sharegpt_gpt = "gpt";
inline constexpr std::string_view hh_human = "\n\nHuman: ";               // hh-rlhf transcript turns
inline constexpr std::string_view hh_assistant = "\n\nAssistant: ";
}  // namespace trainer

// SFT candidates (balance input): one model's solution to a problem, with its
// test outcome and the problem's difficulty. balance reads the stratum field
// (--stratum, default difficulty) and knows the difficulty levels of the preset
// mixes; the other fields it reads are named by options.
namespace sft_candidate {
inline constexpr std::string_view difficulty = "difficulty";
inline constexpr std::string_view easy = "easy";
inline constexpr std::string_view medium = "medium";
inline constexpr std::string_view hard = "hard";
}  // namespace sft_candidate

// The dataset summary (balance --append-csv): a CSV file, one row per run.
// Per stratum S of the mix: S_count, S_share, S_available.
namespace balance_summary {
inline constexpr std::string_view dataset = "dataset";
inline constexpr std::string_view mix = "mix";
inline constexpr std::string_view seed = "seed";
inline constexpr std::string_view total = "total";
inline constexpr std::string_view count_suffix = "_count";
inline constexpr std::string_view share_suffix = "_share";
inline constexpr std::string_view available_suffix = "_available";
inline constexpr std::string_view read = "read";
inline constexpr std::string_view invalid = "invalid";
inline constexpr std::string_view filtered = "filtered";
inline constexpr std::string_view duplicates = "duplicates";
inline constexpr std::string_view outside_mix = "outside_mix";
inline constexpr std::string_view eligible = "eligible";
inline constexpr std::string_view avg_length = "avg_length";
inline constexpr std::string_view strata = "strata";  // --stats: per stratum count, share, available
inline constexpr std::string_view count = "count";
inline constexpr std::string_view share = "share";
inline constexpr std::string_view available = "available";
inline constexpr std::string_view not_sampled = "not_sampled";
}  // namespace balance_summary

// Generated record (generate output): the answer field, then this object,
// its keys in this order.
namespace generation {
inline constexpr std::string_view generation = "generation";
inline constexpr std::string_view response = "response";  // the default answer field
inline constexpr std::string_view model = "model";
inline constexpr std::string_view endpoint = "endpoint";
inline constexpr std::string_view temperature = "temperature";
inline constexpr std::string_view top_p = "top_p";
inline constexpr std::string_view max_tokens = "max_tokens";
inline constexpr std::string_view system = "system";
inline constexpr std::string_view sample = "sample";
inline constexpr std::string_view seed = "seed";
inline constexpr std::string_view finish_reason = "finish_reason";
inline constexpr std::string_view usage = "usage";
inline constexpr std::string_view prompt_tokens = "prompt_tokens";
inline constexpr std::string_view completion_tokens = "completion_tokens";
inline constexpr std::string_view latency_ms = "latency_ms";
inline constexpr std::string_view attempts = "attempts";
inline constexpr std::string_view cached = "cached";
inline constexpr std::string_view duplicate_of = "duplicate_of";  // only on a duplicate
inline constexpr std::string_view leak = "leak";                  // only with --leak-check
inline constexpr std::string_view rejected = "rejected";          // only in --rejects: {rule, detail}
inline constexpr std::string_view rule = "rule";
inline constexpr std::string_view detail = "detail";
inline constexpr std::string_view error = "error";                // only in --rejects: a failed call
// A --system file's lines.
inline constexpr std::string_view name = "name";
inline constexpr std::string_view content = "content";
// OpenAI Batch API files (input: custom_id, method, url, body; output:
// custom_id, response {status_code, body}, error {code, message}).
inline constexpr std::string_view custom_id = "custom_id";
inline constexpr std::string_view method = "method";
inline constexpr std::string_view url = "url";
inline constexpr std::string_view body = "body";
inline constexpr std::string_view response_object = "response";
inline constexpr std::string_view status_code = "status_code";
inline constexpr std::string_view code = "code";
inline constexpr std::string_view message = "message";
}  // namespace generation

}  // namespace prefline::schema
