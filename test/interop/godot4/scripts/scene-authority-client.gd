# A Godot 4 SceneMultiplayer client of a gdws SceneMultiplayerServer (the server is the
# authority): calls the server's rpcs with rpc_id(1, ...), sends raw bytes, and reports
# the rpcs and bytes the server sends back. With config.token it authenticates first
# (auth_callback, send_auth, complete_auth). Quits 0 when the server calls done(),
# 3 when the connection ends first, 2 on the watchdog.
extends Node

const Report = preload("res://report.gd")

var peer := WebSocketMultiplayerPeer.new()
var config := {}
var finished := false
var smp: SceneMultiplayer


func _ready() -> void:
	config = Report.config()
	smp = multiplayer as SceneMultiplayer
	get_tree().create_timer(float(config.get("timeoutMs", 30000)) / 1000.0).timeout.connect(_on_watchdog)
	smp.connected_to_server.connect(_on_connected)
	smp.connection_failed.connect(_on_ended.bind("connection_failed"))
	smp.server_disconnected.connect(_on_ended.bind("server_disconnected"))
	smp.peer_connected.connect(_on_peer_connected)
	smp.peer_packet.connect(_on_peer_packet)
	if config.has("token"):
		smp.auth_callback = _on_auth
		smp.peer_authenticating.connect(_on_authenticating)
		smp.peer_authentication_failed.connect(_on_auth_failed)
	var error := peer.create_client(config.url)
	if error != OK:
		Report.result("create_client", {"error": error})
		Report.finish(get_tree(), 1)
		return
	smp.multiplayer_peer = peer


func _on_authenticating(id: int) -> void:
	Report.result("authenticating", {"id": id})
	smp.send_auth(id, String(config.token).to_utf8_buffer())


func _on_auth(id: int, data: PackedByteArray) -> void:
	Report.result("auth_data", {"id": id, "text": data.get_string_from_utf8()})
	smp.complete_auth(id)


func _on_auth_failed(id: int) -> void:
	Report.result("auth_failed", {"id": id})


func _on_connected() -> void:
	Report.result("connected", {"id": smp.get_unique_id()})
	submit.rpc_id(1, config.tag, 42, 1.5, Vector2(1, 2), [1, "two", true], {"k": "v"})
	server_only.rpc_id(1)
	smp.send_bytes(PackedByteArray([9, 8, 7]), 1)
	ping.rpc_id(1, 7)


func _on_peer_connected(id: int) -> void:
	Report.result("peer_connected", {"id": id})


# The rpc methods of this node, as the server registers them (ids by sorted name:
# done 0, ping 1, server_only 2, submit 3, welcome 4).
@rpc("any_peer")
func submit(_tag: String, _n: int, _f: float, _v: Vector2, _a: Array, _d: Dictionary) -> void:
	pass


@rpc("authority")
func server_only() -> void:
	pass


@rpc("any_peer", "call_local")
func ping(_n: int) -> void:
	pass


@rpc("authority")
func welcome(msg: String, id: int, data: PackedByteArray) -> void:
	Report.result("welcome", {"from": smp.get_remote_sender_id(), "msg": msg, "id": id, "hex": data.hex_encode()})


@rpc("authority")
func done() -> void:
	Report.result("done_rpc", {"from": smp.get_remote_sender_id()})
	finished = true
	await get_tree().create_timer(0.3).timeout
	smp.multiplayer_peer.close()
	Report.finish(get_tree(), 0)


func _on_peer_packet(id: int, data: PackedByteArray) -> void:
	Report.result("raw", {"from": id, "hex": data.hex_encode()})


func _on_ended(what: String) -> void:
	Report.result(what)
	if not finished:
		finished = true
		Report.finish(get_tree(), 3)


func _on_watchdog() -> void:
	Report.result("timeout")
	Report.finish(get_tree(), 2)
