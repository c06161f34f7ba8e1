// Runs one Godot 4.6 project in headless Chromium with the official web export template
// and collects what it prints: the Godot 4 counterpart of ../godot3/run-godot.ts.

import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { MAIN_PACK_NAME, startGodot4PageServer, type Godot4PageServer } from './page-server.js';
import { GODOT4_EXECUTABLE } from './template.js';
import { writeZip } from './zip-writer.js';

export interface Godot4Project {
  /** Every file of the project by its res:// path without the prefix (`project.godot`, `main.gd`, ...). */
  readonly files: Record<string, string | Uint8Array>;
  /** User arguments, passed after `--`: GDScript reads them with `OS.get_cmdline_user_args()`. */
  readonly args?: readonly string[];
}

export interface Godot4RunOptions {
  /** Reject when Godot has not quit this long after the call (page load and boot included). */
  readonly timeoutMs: number;
  /** A browser to open the page in and leave open; without it the run launches and closes its own. */
  readonly browser?: Browser;
}

export interface Godot4RunResult {
  /** `print()` output (stdout), one entry per line, the engine's banner included. */
  readonly lines: string[];
  /** `printerr()`, `push_error()` and engine errors (stderr), one entry per line. */
  readonly errorLines: string[];
  /** The code from `get_tree().quit(code)`. */
  readonly exitCode: number;
  /** Milliseconds from opening the page to Godot's first printed line (the version banner). */
  readonly bootMs: number;
}

/** A failed or timed-out run, with everything printed so far for diagnosis. */
export class Godot4RunError extends Error {
  constructor(
    message: string,
    readonly lines: readonly string[],
    readonly errorLines: readonly string[],
  ) {
    super(`${message}\n--- stdout ---\n${lines.join('\n')}\n--- stderr ---\n${errorLines.join('\n')}`);
    this.name = 'Godot4RunError';
  }
}

// The page talks back through these bindings (playwright's exposeFunction).
const PRINT = '__gdwsGodotPrint';
const PRINT_ERROR = '__gdwsGodotPrintError';
const EXIT = '__gdwsGodotExit';
const FAIL = '__gdwsGodotFail';

/** How long a run goes on after a `SCRIPT ERROR` line before it is failed. */
const SCRIPT_ERROR_GRACE_MS = 300;

/**
 * Packs `project.files` into a zip, serves it with the template on 127.0.0.1, and runs it
 * with `--headless --main-pack project.zip -- ...args` in a fresh browser page. Resolves
 * when the project quits; rejects with Godot4RunError on timeout, start-up failure or a
 * `SCRIPT ERROR` line (parse errors; the release template reports no runtime errors).
 */
export async function runGodot4(project: Godot4Project, options: Godot4RunOptions): Promise<Godot4RunResult> {
  const lines: string[] = [];
  const errorLines: string[] = [];
  let resolveExit!: (code: number) => void;
  let rejectExit!: (error: Error) => void;
  const finished = new Promise<number>((resolve, reject) => {
    resolveExit = resolve;
    rejectExit = reject;
  });
  // Godot may fail (or time out) before anything awaits `finished`: keep that rejection
  // from counting as unhandled; the awaits below still see it.
  finished.catch(() => undefined);
  const fail = (message: string): void => rejectExit(new Godot4RunError(message, lines, errorLines));
  // The whole run, page load included, is bounded by timeoutMs (teardown aside).
  const timer = setTimeout(() => fail(`Godot 4 did not quit within ${options.timeoutMs} ms`), options.timeoutMs);
  let scriptErrorTimer: NodeJS.Timeout | undefined;
  let server: Godot4PageServer | undefined;
  let ownBrowser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startGodot4PageServer(writeZip(project.files));
    const browser = options.browser ?? (ownBrowser = await launchChromium());
    // A fresh context per run: its own cache and storage (Godot keeps user:// in IndexedDB).
    context = await browser.newContext();
    const page = await context.newPage();
    const startedAt = Date.now();
    let firstLineAt: number | undefined;
    await Promise.all([
      page.exposeFunction(PRINT, (line: string) => {
        firstLineAt ??= Date.now();
        lines.push(line);
      }),
      page.exposeFunction(PRINT_ERROR, (line: string) => {
        errorLines.push(line);
        // A GDScript parse or load error leaves the scene without its script, so it would
        // never quit: fail now, after a moment to collect the error's `at:` lines.
        if (line.startsWith('SCRIPT ERROR:') && scriptErrorTimer === undefined) {
          scriptErrorTimer = setTimeout(() => fail('GDScript error (see stderr)'), SCRIPT_ERROR_GRACE_MS);
        }
      }),
      page.exposeFunction(EXIT, (code: number) => resolveExit(code)),
      page.exposeFunction(FAIL, (message: string) => fail(`Godot 4 failed to start: ${message}`)),
    ]);
    page.on('pageerror', (error) => errorLines.push(`[pageerror] ${error.message}`));
    page.on('crash', () => fail('the page crashed'));
    const settings: StartSettings = {
      executable: GODOT4_EXECUTABLE,
      mainPack: MAIN_PACK_NAME,
      // --headless: Godot's headless display and dummy audio, so no WebGL or AudioWorklet is touched.
      args: ['--headless', ...(project.args === undefined ? [] : ['--', ...project.args])],
      bindings: { print: PRINT, printError: PRINT_ERROR, exit: EXIT, fail: FAIL },
    };
    const pageUrl = server.url;
    const loading = (async () => {
      await page.goto(pageUrl);
      await page.evaluate(`(${START_ENGINE})(${JSON.stringify(settings)})`);
    })();
    // When `finished` wins the race, closing the context below aborts the load: not an error.
    loading.catch(() => undefined);
    // Racing `finished` lets a timeout or failure end a page load that hangs.
    await Promise.race([finished, loading]);
    const exitCode = await finished;
    return { lines, errorLines, exitCode, bootMs: (firstLineAt ?? Date.now()) - startedAt };
  } finally {
    clearTimeout(timer);
    clearTimeout(scriptErrorTimer);
    await context?.close();
    await ownBrowser?.close();
    await server?.close();
  }
}

interface StartSettings {
  executable: string;
  mainPack: string;
  args: string[];
  bindings: { print: string; printError: string; exit: string; fail: string };
}

// Runs in the page: starts the template's Engine with the main pack and reports through
// the bindings. Kept as plain JavaScript source because tsx and vitest transform
// TypeScript functions with esbuild helpers (__name) that do not exist in the page.
const START_ENGINE = `(settings) => {
  const engine = new Engine({
    executable: settings.executable,
    mainPack: settings.mainPack,
    args: settings.args,
    // Godot prints one line per call; several arguments are joined as console.log would.
    onPrint: (...parts) => window[settings.bindings.print](parts.join(' ')),
    onPrintError: (...parts) => window[settings.bindings.printError](parts.join(' ')),
    onExit: (code) => window[settings.bindings.exit](code),
  });
  engine.startGame({}).catch((error) => window[settings.bindings.fail](String(error && error.stack || error)));
}`;
