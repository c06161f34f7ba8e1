# Shared by the harness scripts: one `RESULT {json}` line per event (read by results.ts),
# and the JSON config the test passes as the first user argument (after `--`).
extends RefCounted


static func result(event: String, fields: Dictionary = {}) -> void:
	var line := {"event": event}
	line.merge(fields)
	print("RESULT ", JSON.stringify(line))


static func config() -> Dictionary:
	var args := OS.get_cmdline_user_args()
	if args.is_empty():
		return {}
	return JSON.parse_string(args[0])


# Ends the run: the exit code reaches runGodot4 through the Engine's onExit.
static func finish(tree: SceneTree, code: int) -> void:
	result("done", {"exitCode": code})
	tree.quit(code)
