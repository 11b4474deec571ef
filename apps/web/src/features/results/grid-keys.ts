/** What a key press asks the results grid to do. */
export type GridCommand =
  'down' | 'up' | 'open' | 'toggle' | 'select_all' | 'confirm' | 'reject' | 'unmatch' | 'escape' | 'help';

/** The shortcuts, as the help dialog lists them. */
export const GRID_SHORTCUTS: readonly { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'Next row' },
  { keys: ['k', '↑'], does: 'Previous row' },
  { keys: ['Enter'], does: 'Open the row' },
  { keys: ['x'], does: 'Select or unselect the row' },
  { keys: ['Shift', 'click'], does: 'Select a range of rows' },
  { keys: ['a'], does: 'Select all loaded rows (again: none)' },
  { keys: ['c'], does: 'Confirm the selected matches (or the focused one)' },
  { keys: ['r'], does: 'Reject the selected matches' },
  { keys: ['u'], does: 'Unmatch the selected matches (asks for a reason)' },
  { keys: ['Esc'], does: 'Close the drawer, else clear the selection' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

const KEYS: Record<string, GridCommand> = {
  j: 'down',
  ArrowDown: 'down',
  k: 'up',
  ArrowUp: 'up',
  Enter: 'open',
  x: 'toggle',
  a: 'select_all',
  c: 'confirm',
  r: 'reject',
  u: 'unmatch',
  Escape: 'escape',
  '?': 'help',
};

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'number',
  'password',
  'tel',
  'url',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/** Whether a key press lands where the person is typing, so letters must stay letters. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable="true"]')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  // Comboboxes and listboxes (Mantine selects) take letters for type-ahead.
  const role = target.getAttribute('role');
  return role === 'combobox' || role === 'listbox' || role === 'option';
}

/** The grid command for a key press, or null for keys the grid leaves alone (modifiers, typing). */
export function commandFor(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}): GridCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  return KEYS[event.key] ?? null;
}
