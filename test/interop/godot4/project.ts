// Builds the files of a minimal Godot 4 project around one main script, in the form the
// release web template accepts from a zip main pack: text project.godot, a text main
// scene whose single Node carries the script, and the script as plain .gd source.
// No editor import step is needed (.godot/imported is only for assets like textures).

export interface Godot4ProjectSource {
  /** GDScript of the main scene's root Node (`extends Node`); it should end with `get_tree().quit(code)`. */
  readonly main: string;
  /** More files by res:// path without the prefix (`peer.gd`, `lib/util.gd`); project.godot and main.* are generated. */
  readonly files?: Record<string, string | Uint8Array>;
}

export const GODOT4_PROJECT_GODOT = `; Written by test/interop/godot4/project.ts
config_version=5

[application]
config/name="gdws godot4 interop"
run/main_scene="res://main.tscn"
`;

const MAIN_SCENE = `[gd_scene load_steps=2 format=3]

[ext_resource type="Script" path="res://main.gd" id="1"]

[node name="Main" type="Node"]
script = ExtResource("1")
`;

// An exported game reads its class_name registry from here instead of scanning scripts;
// without the file Godot prints "Could not load global script cache" on every start.
// It lists no classes: preload() scripts by path instead of using class_name.
const GLOBAL_SCRIPT_CLASS_CACHE = `list=[]
`;

/** The files for runGodot4: project.godot, main.tscn, main.gd, the class cache, and `source.files`. */
export function godot4Project(source: Godot4ProjectSource): Record<string, string | Uint8Array> {
  return {
    'project.godot': GODOT4_PROJECT_GODOT,
    'main.tscn': MAIN_SCENE,
    'main.gd': source.main,
    '.godot/global_script_class_cache.cfg': GLOBAL_SCRIPT_CLASS_CACHE,
    ...source.files,
  };
}
