# A Godot 4 WebSocketPeer client (the browser's WebSocket underneath): connects to
# config.url, sends config.text with send_text and config.binaryHex with put_packet,
# reports the two echoes, closes with config.closeCode / config.closeReason and reports
# the close it saw. Exit 0 = all done, 1 = connection failed, 2 = watchdog.
extends Node

const Report = preload("res://report.gd")

var socket := WebSocketPeer.new()
var config := {}
var sent := false
var closing := false
var echoes := 0


func _ready() -> void:
	config = Report.config()
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
		Report.result("open", {"protocol": socket.get_selected_protocol()})
		socket.send_text(config.text)
		socket.put_packet(String(config.binaryHex).hex_decode())
	while socket.get_available_packet_count() > 0:
		var packet := socket.get_packet()
		var is_text := socket.was_string_packet()
		echoes += 1
		Report.result("message", {"isText": is_text, "hex": packet.hex_encode(), "text": packet.get_string_from_utf8() if is_text else ""})
	if echoes == 2 and not closing:
		closing = true
		socket.close(int(config.closeCode), config.closeReason)
	if state == WebSocketPeer.STATE_CLOSED:
		Report.result("closed", {"code": socket.get_close_code(), "reason": socket.get_close_reason()})
		set_process(false)
		Report.finish(get_tree(), 0 if closing else 1)


func _on_watchdog() -> void:
	Report.result("timeout", {"state": socket.get_ready_state(), "echoes": echoes})
	Report.finish(get_tree(), 2)
