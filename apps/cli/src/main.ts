import { CliError, EXIT } from './cli-error';
import { processIo, type CliIo } from './cli-io';
import type { CommandRegistry } from './command-registry';
import { createRegistry } from './commands/index';
import { describeError } from './describe-error';

function overview(registry: CommandRegistry): string {
  const width = Math.max(...registry.list().map((c) => c.path.join(' ').length));
  const lines = registry.list().map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'Usage: recon <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `recon <command> --help` for its options.',
  ].join('\n');
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code:
 * 0 fully reconciled, 1 differences found, 2 error.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo(),
  registry = createRegistry(),
): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(overview(registry));
    return first === undefined ? EXIT.error : EXIT.ok;
  }
  const resolved = registry.resolve(argv);
  if (!resolved) {
    const group = registry.under([first]);
    const hint =
      group.length > 0
        ? ` (did you mean ${group.map((c) => `\`recon ${c.path.join(' ')}\``).join(', ')}?)`
        : '';
    io.err(`recon: unknown command "${argv.join(' ')}"${hint}\n\n${overview(registry)}`);
    return EXIT.error;
  }
  const { command, args } = resolved;
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const { message, details } = describeError(error);
    io.err([`recon ${command.path.join(' ')}: ${message}`, ...details.map((d) => `  ${d}`)].join('\n'));
    if (error instanceof CliError && error.showUsage) io.err(`\n${command.usage}`);
    return EXIT.error;
  }
}
