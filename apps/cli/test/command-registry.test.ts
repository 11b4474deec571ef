import { describe, expect, it } from 'vitest';
import { CommandRegistry, type Command } from '../src/command-registry';

const command = (...path: string[]): Command => ({
  path,
  summary: path.join(' '),
  usage: '',
  run: () => Promise.resolve(0),
});

describe('CommandRegistry', () => {
  it('resolves the longest command path and passes the rest as arguments', () => {
    const registry = new CommandRegistry().register(command('rules')).register(command('rules', 'suggest'));
    const resolved = registry.resolve(['rules', 'suggest', 'a.csv', 'b.csv']);
    expect(resolved?.command.path).toEqual(['rules', 'suggest']);
    expect(resolved?.args).toEqual(['a.csv', 'b.csv']);
  });

  it('refuses to register the same command twice', () => {
    const registry = new CommandRegistry().register(command('migrate'));
    expect(() => registry.register(command('migrate'))).toThrow('registered twice');
  });

  it('returns null for an unknown command', () => {
    expect(new CommandRegistry().register(command('match')).resolve(['user', 'add'])).toBeNull();
  });
});
