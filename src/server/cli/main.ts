/**
 * Administration commands: `npm run cli -- <command> [options]`.
 *
 * Each command is a module with `run(argv)` resolving to the exit code,
 * loaded only when asked for, so one command's dependencies (exceljs for
 * import) never slow down another. Add a command by adding a line below.
 */
export interface CliCommand {
  /** Arguments after the command name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<CliCommand> }>> = {
  import: { summary: '导入名册与发放明细（CSV / XLSX）', load: () => import('./import-command.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['用法：npm run cli -- <命令> [选项]', '', '命令：', ...lines, '', '每个命令的选项：npm run cli -- <命令> --help'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`未知命令：${name}\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
