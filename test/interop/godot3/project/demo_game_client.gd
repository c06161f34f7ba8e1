extends "res://role.gd"

# A Godot 3 player of the npm start demo game (demo/game.ts at /game3), with the remote
# and puppet members of the demo page. main.gd names this node Main (/root/Main).
# config: url, name, other, timeoutMs. Joins as name; once the lobby has two players it
# says hi and rset_id(1, "position", ...); finishes 0 once it saw other's chat and move.

remote var position = Vector2()

var said = false
var heard_chat = false
var heard_move = false
var client = null


func _begin():
	var tree = get_tree()
	tree.connect("connected_to_server", self, "_joined")
	tree.connect("connection_failed", self, "_on_connection_failed")
	client = WebSocketClient.new()
	var error = client.connect_to_url(String(config.get("url", "")), PoolStringArray(), true)
	if error != OK:
		report("connect_failed", {"error": error})
		finish(1)
		return
	tree.network_peer = client


func _joined():
	report("connected", {"id": get_tree().get_network_unique_id()})
	rpc_id(1, "join", String(config.get("name", "")))


puppet func chat(from_name, text):
	report("chat", {"from": get_tree().get_rpc_sender_id(), "name": from_name, "text": text})
	heard_chat = heard_chat or from_name == config.get("other")
	_check()


puppet func lobby(players):
	report("lobby", {"players": players})
	if players.size() >= 2 and not said:
		said = true
		rpc_id(1, "say", "hi from " + String(config.get("name", "")))
		rset_id(1, "position", Vector2(-1, 2.5))


puppet func moved(player_name, to):
	report("moved", {"name": player_name, "x": to.x, "y": to.y})
	heard_move = heard_move or player_name == config.get("other")
	_check()


func _check():
	if heard_chat and heard_move:
		finish(0)


func _on_connection_failed():
	report("connection_failed")
	finish(1)
