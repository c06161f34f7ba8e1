# A Godot 4 player of the npm start demo game (demo/game.ts at /game4), with the @rpc
# declarations of the demo page. Joins as config.name, says hi and moves once the lobby
# has two players, and quits 0 once it saw config.other's chat and move (3 if the
# connection ends first, 2 on the watchdog).
extends Node

const Report = preload("res://report.gd")

var peer := WebSocketMultiplayerPeer.new()
var config := {}
var said := false
var heard_chat := false
var heard_move := false


func _ready() -> void:
	config = Report.config()
	get_tree().create_timer(float(config.get("timeoutMs", 30000)) / 1000.0).timeout.connect(_end.bind("timeout", 2))
	multiplayer.connected_to_server.connect(func(): join.rpc_id(1, config.name))
	multiplayer.server_disconnected.connect(_end.bind("server_disconnected", 3))
	multiplayer.connection_failed.connect(_end.bind("connection_failed", 3))
	peer.create_client(config.url)
	multiplayer.multiplayer_peer = peer


@rpc("any_peer") func join(player_name: String) -> void: pass
@rpc("any_peer") func say(text: String) -> void: pass
@rpc("any_peer") func move(to: Vector2) -> void: pass
@rpc func chat(from_name: String, text: String) -> void:
	Report.result("chat", {"from": multiplayer.get_remote_sender_id(), "name": from_name, "text": text})
	heard_chat = heard_chat or from_name == config.other
	_check()
@rpc func lobby(players: Array) -> void:
	Report.result("lobby", {"players": players})
	if players.size() >= 2 and not said:
		said = true
		say.rpc_id(1, "hi from " + String(config.name))
		move.rpc_id(1, Vector2(3, 4))
@rpc func moved(player_name: String, to: Vector2) -> void:
	Report.result("moved", {"name": player_name, "x": to.x, "y": to.y})
	heard_move = heard_move or player_name == config.other
	_check()


func _check() -> void:
	if heard_chat and heard_move:
		_end("finished", 0)


func _end(why: String, code: int) -> void:
	Report.result(why)
	Report.finish(get_tree(), code)
