/**
 * Administration commands: `npm run cli -- <command> [options]`.
 *
 * Each command is a module with `run(argv)` resolving to the exit code,
 * loaded only when asked for, so one command's dependencies (exceljs for
 * import) never slow down another. Add a command by adding a line below.
 */
import { cliText } from '#server/messages/cli.zh-CN.ts';

export interface CliCommand {
  /** Arguments after the command name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<CliCommand> }>> = {
  import: { summary: cliText.commands.import, load: () => import('./import-command.ts') },
  users: { summary: cliText.commands.users, load: () => import('./users-command.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [...cliText.usage, ...lines, ...cliText.usageFooter].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`${cliText.unknownCommand(name)}\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
