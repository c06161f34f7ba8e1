extends "res://role.gd"

# A Godot 3 game client whose authority is a Node server (gdws Godot3MultiplayerServer).
# config: url, name, leave (bool), timeoutMs. The node is /root/Main/Peer on every side.
#   connected: rpc_id(1, "join", name)
#   welcome (server -> me): rset("speed", ...) and rpc("chat", name, text) to everyone,
#     send_bytes([1, 2, 3]) and a forged rpc_id(1, "welcome") the server must refuse
#   leave = true: closes the connection 300 ms after welcome and score arrived (mid-game)
#   otherwise: finishes when the server calls game_over
# Every remote call and set is reported with get_rpc_sender_id().

const LEAVE_AFTER_MSEC = 300

var client = null
var own_id = 0
var player_name = ""
var welcomed = false
var leave_at = 0
var left = false

remote var speed = 0.0 setget _set_speed
puppet var score = 0 setget _set_score


func _begin():
	player_name = String(config.get("name", "player"))
	var tree = get_tree()
	tree.connect("connected_to_server", self, "_on_connected")
	tree.connect("connection_failed", self, "_on_connection_failed")
	tree.connect("network_peer_connected", self, "_on_peer", ["peer_connected"])
	tree.connect("network_peer_disconnected", self, "_on_peer", ["peer_disconnected"])
	tree.multiplayer.connect("network_peer_packet", self, "_on_bytes")
	client = WebSocketClient.new()
	var error = client.connect_to_url(String(config.get("url", "")), PoolStringArray(), true)
	if error != OK:
		report("connect_failed", {"error": error})
		finish(1)
		return
	tree.network_peer = client


func _poll_network():
	if leave_at > 0 and not left and OS.get_ticks_msec() >= leave_at:
		left = true
		report("leave", {"id": own_id})
		client.disconnect_from_host()
	if left and OS.get_ticks_msec() >= leave_at + LEAVE_AFTER_MSEC:
		finish(0)


func _on_connected():
	own_id = get_tree().get_network_unique_id()
	report("connected", {"id": own_id})
	rpc_id(1, "join", player_name)


puppet func welcome(text, players):
	welcomed = true
	report("welcome", {"from": get_tree().get_rpc_sender_id(), "text": text, "players": players})
	rset("speed", 1.5)
	rpc("chat", player_name, "hi from " + player_name)
	get_tree().multiplayer.send_bytes(PoolByteArray([1, 2, 3]))
	# welcome is a puppet func: the server (the network master) must refuse it from a client.
	rpc_id(1, "welcome", "forged", 0)
	_maybe_leave()


remote func chat(from_name, text):
	report("chat", {"from": get_tree().get_rpc_sender_id(), "name": from_name, "text": text})


puppet func game_over(summary):
	report("game_over", {"from": get_tree().get_rpc_sender_id(), "summary": summary})
	finish(0)


func _set_speed(value):
	speed = value
	report("speed", {"from": get_tree().get_rpc_sender_id(), "value": value})


func _set_score(value):
	score = value
	report("score", {"from": get_tree().get_rpc_sender_id(), "value": value})
	_maybe_leave()


func _maybe_leave():
	if bool(config.get("leave", false)) and welcomed and score != 0 and leave_at == 0:
		leave_at = OS.get_ticks_msec() + LEAVE_AFTER_MSEC


func _on_bytes(id, bytes):
	report("bytes", {"from": id, "data": Array(bytes)})


func _on_peer(id, event):
	report(event, {"id": id})


func _on_connection_failed():
	report("connection_failed")
	if not left:
		finish(1)
