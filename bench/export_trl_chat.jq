# TRL's conversational preference format from pair records, as a user would write it with jq
# (bench/export.sh runs it as jq -c -f bench/export_trl_chat.jq): the same output as
# `export --to trl-chat` on valid records, without its checks.
{
  prompt: (if has("messages") then [.messages[] | {role, content}]
           else [{role: "user", content: .prompt}] end),
  chosen: [{role: "assistant", content: .chosen}],
  rejected: [{role: "assistant", content: .rejected}]
}
