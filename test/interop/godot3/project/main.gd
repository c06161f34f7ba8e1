extends Node

# Command line (after "--"): <role> [<JSON config>]
# The role node is named "Peer" so that rpc paths match on every process (game-client: "Main").

const ROLE_SCRIPTS = {
	"raw-client": "res://raw_client.gd",
	"raw-server": "res://raw_server.gd",
	"mp-server": "res://mp_peer.gd",
	"mp-client": "res://mp_peer.gd",
	"var-client": "res://var_client.gd",
	"authority-client": "res://authority_client.gd",
	"game-client": "res://demo_game_client.gd",
}


func _ready():
	var args = Array(OS.get_cmdline_args())
	if args.size() > 0 and args[0] == "--":
		args.pop_front()
	if args.empty() or not ROLE_SCRIPTS.has(args[0]):
		_fail_usage("first argument must be one of %s" % [ROLE_SCRIPTS.keys()])
		return
	var config = {}
	if args.size() > 1:
		var parsed = JSON.parse(args[1])
		if parsed.error != OK or typeof(parsed.result) != TYPE_DICTIONARY:
			_fail_usage("second argument must be a JSON object: %s" % parsed.error_string)
			return
		config = parsed.result
	var role = load(ROLE_SCRIPTS[args[0]]).new()
	if args[0] == "game-client":
		# The demo game's node is /root/Main: this node steps aside and the role takes its name.
		name = "Launcher"
		role.name = "Main"
		get_tree().root.call_deferred("add_child", role)
		role.call_deferred("start", args[0], config)
		return
	role.name = "Peer"
	add_child(role)
	role.start(args[0], config)


func _fail_usage(message):
	print("RESULT " + to_json({"event": "usage_error", "message": message}))
	get_tree().quit(64)
