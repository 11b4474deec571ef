import type { CliIo } from './cli-io';

/** One command, e.g. `match` or `rules suggest`. Admin commands (`migrate`, `user add`) plug in the same way. */
export interface Command {
  /** Words after `recon`, e.g. `['rules', 'suggest']`. */
  path: readonly string[];
  /** One line for `recon --help`. */
  summary: string;
  /** Full usage text for `recon <command> --help` and argument errors. */
  usage: string;
  /** Runs with the arguments after the command words; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Commands by their words; the longest matching path wins, so `rules suggest` and `rules` can coexist. */
export class CommandRegistry {
  readonly #commands: Command[] = [];

  register(command: Command): this {
    const key = command.path.join(' ');
    if (this.#commands.some((c) => c.path.join(' ') === key))
      throw new Error(`command "${key}" registered twice`);
    this.#commands.push(command);
    return this;
  }

  /** The command named by the first words of argv, and the remaining arguments. */
  resolve(argv: readonly string[]): { command: Command; args: readonly string[] } | null {
    const found = this.#commands
      .filter((c) => c.path.every((word, i) => argv[i] === word))
      .sort((a, b) => b.path.length - a.path.length)[0];
    return found ? { command: found, args: argv.slice(found.path.length) } : null;
  }

  /** Commands whose path starts with `prefix` (for "did you mean" on a group such as `rules`). */
  under(prefix: readonly string[]): Command[] {
    return this.#commands.filter((c) => prefix.every((word, i) => c.path[i] === word));
  }

  list(): readonly Command[] {
    return [...this.#commands].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')));
  }
}
