/**
 * Godot's `MultiplayerPeer.TransferMode` (3.x `NetworkedMultiplayerPeer` has
 * the same values). WebSocket runs over TCP, so every mode is delivered
 * reliably and in order; the modes are accepted for code ported from Godot.
 */
export const TransferMode = {
  UNRELIABLE: 0,
  UNRELIABLE_ORDERED: 1,
  RELIABLE: 2,
} as const;
export type TransferMode = (typeof TransferMode)[keyof typeof TransferMode];

export function isTransferMode(value: unknown): value is TransferMode {
  return value === TransferMode.UNRELIABLE || value === TransferMode.UNRELIABLE_ORDERED || value === TransferMode.RELIABLE;
}
