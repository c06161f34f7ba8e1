extends "res://role.gd"

# WebSocketClient in raw mode (gd_mp_api = false).
# Config: url, protocols [], headers ["Name: value"], buffers [in_kb, in_packets, out_kb, out_packets],
# timeoutMs, steps:
#   {"op": "send", "type": "text"|"binary", "size": N}   pattern bytes (or "text": "..." for a given string)
#   {"op": "receive", "count": N}     wait until N more messages than previous receive steps asked for
#   {"op": "close", "code": C, "reason": R}   disconnect_from_host, then wait for connection_closed
#   {"op": "wait_close"}              wait for connection_closed (e.g. the server closes)
#   {"op": "sleep", "ms": N}
# Steps start after connection_established; the run ends after the last step.

var client = WebSocketClient.new()
var received_count = 0
var awaited_count = 0
var closed = false


func _begin():
	client.connect("connection_established", self, "_on_connection_established")
	client.connect("connection_error", self, "_on_connection_error")
	client.connect("connection_closed", self, "_on_connection_closed")
	client.connect("server_close_request", self, "_on_server_close_request")
	client.connect("data_received", self, "_on_data_received")
	if config.has("buffers"):
		var b = config["buffers"]
		var buffers_error = client.set_buffers(int(b[0]), int(b[1]), int(b[2]), int(b[3]))
		report("set_buffers", {"error": buffers_error})
	var protocols = PoolStringArray(config.get("protocols", []))
	var headers = PoolStringArray(config.get("headers", []))
	var error = client.connect_to_url(String(config.get("url", "")), protocols, false, headers)
	if error != OK:
		report("connect_failed", {"error": error})
		finish(1)


func _poll_network():
	client.poll()


func _run_step(step, entering):
	match step.get("op"):
		"send":
			var bytes = Payload.from_spec(step)
			var peer = client.get_peer(1)
			var as_text = step.get("type", "binary") == "text"
			peer.set_write_mode(WebSocketPeer.WRITE_MODE_TEXT if as_text else WebSocketPeer.WRITE_MODE_BINARY)
			var error = peer.put_packet(bytes)
			report("sent", {"type": step.get("type", "binary"), "size": bytes.size(), "error": error})
			return true
		"receive":
			if entering:
				awaited_count += int(step.get("count", 1))
			if received_count >= awaited_count:
				return true
			if closed:
				fail_step("connection closed after %d of %d messages" % [received_count, awaited_count])
			return false
		"close":
			if entering:
				client.disconnect_from_host(int(step.get("code", 1000)), String(step.get("reason", "")))
			return closed
		"wait_close":
			return closed
	return ._run_step(step, entering)


func _on_connection_established(protocol):
	report("connected", {"protocol": protocol})
	activate_steps()


func _on_connection_error():
	report("connection_error")
	finish(1)


func _on_connection_closed(was_clean_close):
	closed = true
	report("closed", {"clean": was_clean_close})


func _on_server_close_request(code, reason):
	report("server_close_request", {"code": code, "reason": reason})


func _on_data_received():
	var peer = client.get_peer(1)
	while peer.get_available_packet_count() > 0:
		var bytes = peer.get_packet()
		received_count += 1
		report("message", Payload.describe(bytes, peer.was_string_packet()))
