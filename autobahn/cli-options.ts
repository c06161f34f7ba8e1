/** Reads `--name value` pairs from the command line; anything else is an error a person can fix. */
export function parseCliOptions<Name extends string>(
  argv: readonly string[],
  defaults: Record<Name, string>,
  usage: string,
): Record<Name, string> {
  const options = { ...defaults };
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index]!;
    const value = argv[index + 1];
    const name = flag.replace(/^--/, '') as Name;
    if (!flag.startsWith('--') || !(name in defaults) || value === undefined) {
      throw new Error(`unexpected argument "${flag}"${value === undefined ? ' (missing value)' : ''}\n${usage}`);
    }
    options[name] = value;
  }
  return options;
}
