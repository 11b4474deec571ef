import { CommandRegistry } from '../command-registry';
import { inspectCommand } from './inspect.command';
import { matchCommand } from './match.command';
import { rulesSuggestCommand } from './rules-suggest.command';

/**
 * Every command the binary knows. Admin commands (`recon migrate`, `recon user add` ...) are added here
 * by the server package's owner: `registry.register(migrateCommand)`; nothing else changes.
 */
export function createRegistry(): CommandRegistry {
  return new CommandRegistry().register(matchCommand).register(inspectCommand).register(rulesSuggestCommand);
}
