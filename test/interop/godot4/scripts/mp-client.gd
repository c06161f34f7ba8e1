# A Godot 4 SceneMultiplayer client over WebSocketMultiplayerPeer: joins config.url,
# reports its unique id and every peer_connected, sends greet() to each other client
# (relayed by the server), reports each greet it receives, and quits
# config.lingerMs after the first one so its own greets have time to arrive.
# Exit 0 = greeted and was greeted, 1 = connection failed or lost, 2 = watchdog.
extends Node

const Report = preload("res://report.gd")

var peer := WebSocketMultiplayerPeer.new()
var config := {}
var greeted := false


func _ready() -> void:
	config = Report.config()
	get_tree().create_timer(float(config.get("timeoutMs", 30000)) / 1000.0).timeout.connect(_on_watchdog)
	multiplayer.connected_to_server.connect(_on_connected)
	multiplayer.connection_failed.connect(_on_failed.bind("connection_failed"))
	multiplayer.server_disconnected.connect(_on_failed.bind("server_disconnected"))
	multiplayer.peer_connected.connect(_on_peer_connected)
	var error := peer.create_client(config.url)
	Report.result("create_client", {"error": error})
	if error != OK:
		Report.finish(get_tree(), 1)
		return
	multiplayer.multiplayer_peer = peer


func _on_connected() -> void:
	Report.result("connected", {"id": multiplayer.get_unique_id()})


func _on_peer_connected(id: int) -> void:
	Report.result("peer_connected", {"id": id})
	if id != 1:
		greet.rpc_id(id, config.tag, multiplayer.get_unique_id())


@rpc("any_peer", "call_remote", "reliable")
func greet(tag: String, claimed_id: int) -> void:
	Report.result("rpc", {"from": multiplayer.get_remote_sender_id(), "tag": tag, "claimedId": claimed_id})
	if not greeted:
		greeted = true
		await get_tree().create_timer(float(config.get("lingerMs", 1000)) / 1000.0).timeout
		multiplayer.multiplayer_peer.close()
		Report.finish(get_tree(), 0)


func _on_failed(what: String) -> void:
	Report.result(what)
	if not greeted:
		Report.finish(get_tree(), 1)


func _on_watchdog() -> void:
	Report.result("timeout", {"greeted": greeted})
	Report.finish(get_tree(), 2)
