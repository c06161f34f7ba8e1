import { parseCliOptions } from './cli-options.js';
import { runFuzzingServerCases } from './client-runner.js';

const USAGE = 'usage: npm run autobahn:client [-- --url ws://127.0.0.1:9001] [--agent gdws] [--deflate]';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const deflate = argv.includes('--deflate');
  const options = parseCliOptions(argv.filter((arg) => arg !== '--deflate'), { url: 'ws://127.0.0.1:9001', agent: 'gdws' }, USAGE);
  const summary = await runFuzzingServerCases({ url: options.url, agent: options.agent, deflate, log: (line) => console.log(line) });
  const unopened = summary.cases.filter((run) => !run.connected).length;
  console.log(
    `ran ${summary.caseCount} cases${unopened > 0 ? ` (${unopened} could not connect)` : ''}; ` +
      'the testsuite graded them: open its report (reports/clients/index.html).',
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
