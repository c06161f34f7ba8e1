extends "res://role.gd"

# WebSocketServer in raw mode (gd_mp_api = false): echoes every message with its type.
# Config: port, bindIp ("127.0.0.1"), protocols [], buffers [in_kb, in_packets, out_kb, out_packets],
# timeoutMs, sendOnConnect [{"type", "size"|"text"}] (pushed to each new client),
# closeAfter {"messages": N, "code": C, "reason": R} (disconnect_peer after echoing the Nth message),
# exitAfterDisconnects N (default 1): the run ends after N client_disconnected.
# Prints "READY <port>" once listening.

var server = WebSocketServer.new()
var messages_by_client = {}
var disconnects = 0


func _begin():
	server.connect("client_connected", self, "_on_client_connected")
	server.connect("client_close_request", self, "_on_client_close_request")
	server.connect("client_disconnected", self, "_on_client_disconnected")
	server.connect("data_received", self, "_on_data_received")
	if config.has("buffers"):
		var b = config["buffers"]
		var buffers_error = server.set_buffers(int(b[0]), int(b[1]), int(b[2]), int(b[3]))
		report("set_buffers", {"error": buffers_error})
	server.bind_ip = String(config.get("bindIp", "127.0.0.1"))
	var port = int(config.get("port", 0))
	var error = server.listen(port, PoolStringArray(config.get("protocols", [])), false)
	if error != OK:
		report("listen_failed", {"port": port, "error": error})
		finish(1)
		return
	print("READY %d" % port)


func _poll_network():
	server.poll()


func _on_client_connected(id, protocol):
	messages_by_client[id] = 0
	report("client_connected", {"id": id, "protocol": protocol})
	var peer = server.get_peer(id)
	for spec in config.get("sendOnConnect", []):
		_put(peer, Payload.from_spec(spec), spec.get("type", "binary") == "text")


func _on_client_close_request(id, code, reason):
	report("client_close_request", {"id": id, "code": code, "reason": reason})


func _on_client_disconnected(id, was_clean_close):
	report("client_disconnected", {"id": id, "clean": was_clean_close})
	disconnects += 1
	if disconnects >= int(config.get("exitAfterDisconnects", 1)):
		finish(0)


func _on_data_received(id):
	var peer = server.get_peer(id)
	while peer.get_available_packet_count() > 0:
		var bytes = peer.get_packet()
		var as_text = peer.was_string_packet()
		var fields = Payload.describe(bytes, as_text)
		fields["id"] = id
		report("message", fields)
		_put(peer, bytes, as_text)
		messages_by_client[id] += 1
		var close_after = config.get("closeAfter", {})
		if close_after.has("messages") and messages_by_client[id] == int(close_after["messages"]):
			server.disconnect_peer(id, int(close_after.get("code", 1000)), String(close_after.get("reason", "")))
			report("disconnect_peer", {"id": id})
			return


func _put(peer, bytes, as_text):
	peer.set_write_mode(WebSocketPeer.WRITE_MODE_TEXT if as_text else WebSocketPeer.WRITE_MODE_BINARY)
	var error = peer.put_packet(bytes)
	if error != OK:
		report("put_failed", {"size": bytes.size(), "error": error})
