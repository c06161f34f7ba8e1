extends "res://role.gd"

# WebSocketClient (raw mode) exchanging Godot values with put_var / get_var.
# Config: url, timeoutMs, expect (how many get_var replies to wait for, default values().size()).
# On connection it put_var's every value of values() and reports
#   "put_var" {index, error, hex}           hex = var2bytes(value)
# then reports each message read with get_var as
#   "got_var" {index, error, type, hex, same}  same = var2bytes(reply) == var2bytes(values()[index])
# and, after `expect` replies, closes (1000) and ends with exit 0.

var client = WebSocketClient.new()
var sent_values = []
var received_count = 0
var closing = false


static func values():
	return [
		{"pos": Vector2(1.5, -2), "vel": Vector3(0, -9.75, 0), "area": Rect2(1, 2, 3, 4)},
		PoolVector2Array([Vector2(1, 2), Vector2(3, 4)]),
		PoolIntArray([1, -2, 2147483647]),
		PoolRealArray([0.5, -0.25]),
		PoolStringArray(["a", "", "four"]),
		PoolByteArray([0, 1, 255]),
		PoolColorArray([Color(1, 0, 0, 1), Color(0, 0.5, 1, 0.25)]),
		"héllo ✓ from Godot 3",
		9223372036854775807,
		-2147483649,
		[1, "two", 3.5, null, true, Color(0.25, 0.5, 0.75, 1)],
		Transform(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12)),
	]


func _begin():
	client.connect("connection_established", self, "_on_connection_established")
	client.connect("connection_error", self, "_on_connection_error")
	client.connect("connection_closed", self, "_on_connection_closed")
	client.connect("data_received", self, "_on_data_received")
	sent_values = values()
	var error = client.connect_to_url(String(config.get("url", "")))
	if error != OK:
		report("connect_failed", {"error": error})
		finish(1)


func _poll_network():
	client.poll()


func _on_connection_established(_protocol):
	var peer = client.get_peer(1)
	for index in range(sent_values.size()):
		var error = peer.put_var(sent_values[index])
		report("put_var", {"index": index, "error": error, "hex": var2bytes(sent_values[index]).hex_encode()})


func _on_connection_error():
	report("connection_error")
	finish(1)


func _on_connection_closed(was_clean_close):
	report("closed", {"clean": was_clean_close})
	finish(0 if closing else 1)


func _on_data_received():
	var peer = client.get_peer(1)
	while peer.get_available_packet_count() > 0:
		var value = peer.get_var()
		var error = peer.get_packet_error()
		var hex = var2bytes(value).hex_encode()
		var same = received_count < sent_values.size() and hex == var2bytes(sent_values[received_count]).hex_encode()
		report("got_var", {"index": received_count, "error": error, "type": typeof(value), "hex": hex, "same": same})
		received_count += 1
	if received_count >= int(config.get("expect", sent_values.size())) and not closing:
		closing = true
		client.disconnect_from_host(1000, "done")
