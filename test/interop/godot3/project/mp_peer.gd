extends "res://role.gd"

# High-level multiplayer over WebSocket (gd_mp_api = true), one script for both ends so
# that the rpc target node (/root/Main/Peer) and its remote methods match everywhere.
# mp-server config: port, bindIp ("127.0.0.1"), buffers, timeoutMs, steps. Prints "READY <port>".
# mp-client config: url, buffers, timeoutMs, steps (they start once connected_to_server).
# Steps:
#   {"op": "wait_peers", "count": N}        until N peers are connected (a client counts the server, id 1)
#   {"op": "rpc_server", "tag": T}          rpc_id(1, "greet", T, own id)
#   {"op": "rpc_peers", "tag": T}           rpc_id(id, ...) to each connected peer except the server
#   {"op": "rpc_all", "tag": T}             rpc("greet", T, own id)
#   {"op": "rpc_except", "except": X, "tag": T}  rpc_id(-X, ...): everyone but X, where X is an id,
#                                           "server" (1) or "lowest_peer" (smallest connected client id)
#   {"op": "wait_rpcs", "count": N}         until N more rpcs arrived than earlier wait_rpcs asked for
#   {"op": "wait_disconnects", "count": N}  likewise for peer_disconnected
#   {"op": "leave"}                         close the connection (client) or stop listening (server)
#   {"op": "sleep", "ms": N}
# Every received rpc is reported with get_tree().get_rpc_sender_id().

const LEAVE_SETTLE_MSEC = 300

var multiplayer_peer = null
var own_id = 0
var connected_peers = []
var rpc_count = 0
var awaited_rpcs = 0
var disconnect_count = 0
var awaited_disconnects = 0
var left = false


func _begin():
	var tree = get_tree()
	tree.connect("network_peer_connected", self, "_on_peer_connected")
	tree.connect("network_peer_disconnected", self, "_on_peer_disconnected")
	tree.connect("connected_to_server", self, "_on_connected_to_server")
	tree.connect("connection_failed", self, "_on_connection_failed")
	tree.connect("server_disconnected", self, "_on_server_disconnected")
	if role_name == "mp-server":
		_begin_server()
	else:
		_begin_client()


func _begin_server():
	var server = WebSocketServer.new()
	_apply_buffers(server)
	server.bind_ip = String(config.get("bindIp", "127.0.0.1"))
	var port = int(config.get("port", 0))
	var error = server.listen(port, PoolStringArray(), true)
	if error != OK:
		report("listen_failed", {"port": port, "error": error})
		finish(1)
		return
	multiplayer_peer = server
	get_tree().network_peer = server
	own_id = get_tree().get_network_unique_id()
	print("READY %d" % port)
	report("listening", {"port": port, "id": own_id})
	activate_steps()


func _begin_client():
	var client = WebSocketClient.new()
	_apply_buffers(client)
	var error = client.connect_to_url(String(config.get("url", "")), PoolStringArray(), true)
	if error != OK:
		report("connect_failed", {"error": error})
		finish(1)
		return
	multiplayer_peer = client
	get_tree().network_peer = client


func _apply_buffers(peer):
	if config.has("buffers"):
		var b = config["buffers"]
		report("set_buffers", {"error": peer.set_buffers(int(b[0]), int(b[1]), int(b[2]), int(b[3]))})


func _run_step(step, entering):
	match step.get("op"):
		"wait_peers":
			if connected_peers.size() >= int(step.get("count", 1)):
				report("peers", {"ids": _sorted(connected_peers)})
				return true
			return false
		"rpc_server":
			rpc_id(1, "greet", String(step.get("tag", "")), own_id)
			report("rpc_sent", {"to": 1, "tag": step.get("tag", "")})
			return true
		"rpc_peers":
			for id in _sorted(connected_peers):
				if id != 1:
					rpc_id(id, "greet", String(step.get("tag", "")), own_id)
					report("rpc_sent", {"to": id, "tag": step.get("tag", "")})
			return true
		"rpc_all":
			rpc("greet", String(step.get("tag", "")), own_id)
			report("rpc_sent", {"to": 0, "tag": step.get("tag", "")})
			return true
		"rpc_except":
			var excluded = _resolve_peer(step.get("except", "server"))
			if excluded == 0:
				fail_step("no peer to exclude")
				return false
			rpc_id(-excluded, "greet", String(step.get("tag", "")), own_id)
			report("rpc_sent", {"to": -excluded, "tag": step.get("tag", "")})
			return true
		"wait_rpcs":
			if entering:
				awaited_rpcs += int(step.get("count", 1))
			return rpc_count >= awaited_rpcs
		"wait_disconnects":
			if entering:
				awaited_disconnects += int(step.get("count", 1))
			return disconnect_count >= awaited_disconnects
		"leave":
			if entering:
				_leave()
			# Give the close handshake a few frames before the process exits.
			return OS.get_ticks_msec() - step_started_msec >= LEAVE_SETTLE_MSEC
	return ._run_step(step, entering)


func _resolve_peer(name_or_id):
	if typeof(name_or_id) == TYPE_REAL or typeof(name_or_id) == TYPE_INT:
		return int(name_or_id)
	if name_or_id == "server":
		return 1
	for id in _sorted(connected_peers):
		if id != 1:
			return id
	return 0


func _leave():
	left = true
	report("leave", {"id": own_id})
	if multiplayer_peer is WebSocketServer:
		multiplayer_peer.stop()
	else:
		multiplayer_peer.disconnect_from_host()


remote func greet(tag, claimed_id):
	rpc_count += 1
	report("rpc", {"from": get_tree().get_rpc_sender_id(), "tag": tag, "claimed": claimed_id, "self": own_id})


func _on_connected_to_server():
	own_id = get_tree().get_network_unique_id()
	report("connected", {"id": own_id})
	activate_steps()


# A 3.2.3 gd_mp_api client reports the end of its own connection as connection_failed,
# also after it chose to leave; WebSocketClient never raises server_disconnected.
func _on_connection_failed():
	report("connection_failed")
	if not left:
		finish(1)


func _on_server_disconnected():
	report("server_disconnected")
	if not left:
		finish(1)


func _on_peer_connected(id):
	connected_peers.append(id)
	report("peer_connected", {"id": id})


func _on_peer_disconnected(id):
	connected_peers.erase(id)
	disconnect_count += 1
	report("peer_disconnected", {"id": id})


func _sorted(ids):
	var copy = ids.duplicate()
	copy.sort()
	return copy
