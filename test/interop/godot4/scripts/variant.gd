# Prints Godot's version and the bytes of a few Variants: the byte-exact reference for
# gdws's Variant encoder.
extends Node

const Report = preload("res://report.gd")


func _ready() -> void:
	var version := Engine.get_version_info()
	Report.result("version", {"major": version.major, "minor": version.minor, "patch": version.patch, "status": version.status, "string": version.string})
	Report.result("bytes", {"value": "Vector2(1, 2)", "hex": var_to_bytes(Vector2(1, 2)).hex_encode()})
	Report.finish(get_tree(), 0)
