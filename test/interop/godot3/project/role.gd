extends Node

# Shared by every role: RESULT reporting, the watchdog, and a step runner that
# advances through config.steps one frame at a time. Subclasses implement
# _begin(), _poll_network(), _run_step(step, entering) and may override
# _steps_finished().

const DEFAULT_TIMEOUT_MSEC = 10000
const Payload = preload("res://payload.gd")

var role_name = ""
var config = {}
var steps = []
var step_index = 0
var step_entered = false
var step_started_msec = 0
var steps_active = false
var finished = false
var deadline_msec = 0


func start(name_of_role, role_config):
	role_name = name_of_role
	config = role_config
	steps = config.get("steps", [])
	deadline_msec = OS.get_ticks_msec() + int(config.get("timeoutMs", DEFAULT_TIMEOUT_MSEC))
	_begin()


func report(event, fields = {}):
	var line = {"event": event}
	for key in fields:
		line[key] = fields[key]
	print("RESULT " + to_json(line))


func finish(exit_code, fields = {}):
	if finished:
		return
	finished = true
	fields["exitCode"] = exit_code
	report("done", fields)
	set_process(false)
	get_tree().quit(exit_code)


func fail_step(reason):
	report("step_failed", {"step": step_index, "op": _current_op(), "reason": reason})
	finish(1)


func activate_steps():
	steps_active = true


func _process(_delta):
	if finished:
		return
	_poll_network()
	if finished:
		return
	if OS.get_ticks_msec() > deadline_msec:
		report("timeout", {"step": step_index, "op": _current_op()})
		finish(2)
		return
	if steps_active:
		_advance_steps()


func _advance_steps():
	while not finished and step_index < steps.size():
		var step = steps[step_index]
		var entering = not step_entered
		if entering:
			step_entered = true
			step_started_msec = OS.get_ticks_msec()
		var complete = false
		if step.get("op") == "sleep":
			complete = OS.get_ticks_msec() - step_started_msec >= int(step.get("ms", 0))
		else:
			complete = _run_step(step, entering)
		if not complete:
			return
		step_index += 1
		step_entered = false
	if not finished:
		_steps_finished()


func _current_op():
	if step_index < steps.size():
		return steps[step_index].get("op", "")
	return ""


func _steps_finished():
	finish(0)


func _begin():
	pass


func _poll_network():
	pass


func _run_step(step, _entering):
	fail_step("unknown op %s" % step.get("op"))
	return false
