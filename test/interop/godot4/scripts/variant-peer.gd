# A Godot 4 WebSocketPeer exchanging Godot values with put_var / get_var: connects to
# config.url, put_var's every value of values() (reporting "put_var" {index, error, hex}),
# then reads config.expect messages with get_var, reporting "got_var" {index, type, hex,
# same} (same: var_to_bytes of the reply equals var_to_bytes of values()[index]), closes
# with 1000 and reports the close. Exit 0 = all done, 1 = connection failed, 2 = watchdog.
extends Node

const Report = preload("res://report.gd")

var socket := WebSocketPeer.new()
var config := {}
var sent_values: Array = []
var sent := false
var closing := false
var received := 0


static func values() -> Array:
	return [
		{"pos": Vector2(1.5, -2), "cell": Vector2i(3, -4), "vel": Vector3(0, -9.75, 0)},
		PackedVector2Array([Vector2(1, 2), Vector2(3, 4)]),
		PackedInt64Array([1, -2, 9223372036854775807]),
		PackedInt32Array([1, -2, 2147483647]),
		PackedFloat32Array([0.5, -0.25]),
		PackedFloat64Array([0.1, -0.25]),
		PackedStringArray(["a", "", "four"]),
		PackedByteArray([0, 1, 255]),
		PackedVector3Array([Vector3(1, 2, 3)]),
		PackedColorArray([Color(1, 0, 0, 1)]),
		PackedVector4Array([Vector4(1, 2, 3, 4)]),
		"héllo ✓ from Godot 4",
		&"a_string_name",
		9223372036854775807,
		-2147483649,
		0.1,
		[1, "two", 3.5, null, true, Color(0.25, 0.5, 0.75, 1)],
		Array([Vector2i(1, 2)], TYPE_VECTOR2I, &"", null),
		Transform3D(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12)),
	]


func _ready() -> void:
	config = Report.config()
	sent_values = values()
	get_tree().create_timer(float(config.get("timeoutMs", 20000)) / 1000.0).timeout.connect(_on_watchdog)
	var error := socket.connect_to_url(config.url)
	Report.result("connect_to_url", {"error": error})
	if error != OK:
		Report.finish(get_tree(), 1)


func _process(_delta: float) -> void:
	socket.poll()
	var state := socket.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN and not sent:
		sent = true
		for index in sent_values.size():
			var error := socket.put_var(sent_values[index])
			Report.result("put_var", {"index": index, "error": error, "hex": var_to_bytes(sent_values[index]).hex_encode()})
	while socket.get_available_packet_count() > 0:
		var value: Variant = socket.get_var()
		var hex := var_to_bytes(value).hex_encode()
		var same: bool = received < sent_values.size() and hex == var_to_bytes(sent_values[received]).hex_encode()
		Report.result("got_var", {"index": received, "type": typeof(value), "hex": hex, "same": same})
		received += 1
	if received >= int(config.expect) and not closing:
		closing = true
		socket.close(1000, "done")
	if state == WebSocketPeer.STATE_CLOSED:
		Report.result("closed", {"code": socket.get_close_code()})
		set_process(false)
		Report.finish(get_tree(), 0 if closing else 1)


func _on_watchdog() -> void:
	Report.result("timeout", {"state": socket.get_ready_state(), "received": received})
	Report.finish(get_tree(), 2)
