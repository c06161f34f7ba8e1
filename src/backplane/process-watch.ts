import type { BackplaneContext } from './backplane-context.js';
import type { RoomBridge } from './room-bridge.js';

export interface LivenessSettings {
  heartbeatMs: number;
  expiryMs: number;
}

/**
 * Liveness of processes. Each process keeps a heartbeat key whose PX expiry it pushes back every
 * `heartbeatMs`; a process killed without a goodbye stops doing so and its key vanishes after
 * `expiryMs`. Each beat also looks up the keys of the processes holding members of our rooms,
 * and a missing one makes its members leave. Nobody is judged before we have been connected a
 * whole `expiryMs` ourselves: after an outage (or a Redis restart, which forgets every key) the
 * live processes need that long to beat again.
 */
export class ProcessWatch {
  private readySince: number | null = null;
  private reconcileDue = false;
  private checking = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly context: BackplaneContext,
    private readonly rooms: RoomBridge,
    private readonly settings: LivenessSettings,
  ) {}

  start(): void {
    this.connected(false);
    this.timer = setInterval(() => this.tick(), this.settings.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The command connection is ready (again, when `afterOutage`). */
  connected(afterOutage: boolean): void {
    this.readySince = Date.now();
    this.beat();
    if (!afterOutage) return;
    this.reconcileDue = true;
    this.rooms.registerAgain();
  }

  disconnected(): void {
    this.readySince = null;
  }

  private tick(): void {
    if (this.readySince === null || !this.context.ready) return;
    this.beat();
    if (Date.now() - this.readySince < this.settings.expiryMs) return;
    if (this.reconcileDue) {
      this.reconcileDue = false;
      this.rooms.reconcile();
    }
    void this.checkOthers();
  }

  private beat(): void {
    const { keys, commands, processId } = this.context;
    this.context.run(() => commands.set(keys.heartbeat(processId), String(Date.now()), 'PX', this.settings.expiryMs));
  }

  private async checkOthers(): Promise<void> {
    const processes = [...this.rooms.remoteProcesses()];
    if (processes.length === 0 || this.checking) return;
    this.checking = true;
    try {
      const beats = await this.context.commands.mget(...processes.map((process) => this.context.keys.heartbeat(process)));
      processes.forEach((process, index) => {
        if (beats[index] === null) this.rooms.processGone(process);
      });
    } catch (error) {
      this.context.commandFailed(error);
    } finally {
      this.checking = false;
    }
  }
}
