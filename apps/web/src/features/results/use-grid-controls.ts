import { useCallback, useEffect, useRef, useState } from 'react';
import type { GridCommand } from './grid-keys';
import { commandFor } from './grid-keys';
import type { GridSelection } from './grid-selection';
import {
  clearSelection,
  emptySelection,
  moveFocus,
  pruneSelection,
  toggleAll,
  toggleRow,
} from './grid-selection';

/** Focus, selection and a screen-reader announcement for one grid, over the keys of its loaded rows. */
export function useGridSelection(keys: readonly string[]) {
  const [state, setState] = useState<GridSelection>(emptySelection);
  const [announcement, setAnnouncement] = useState('');
  const keysRef = useRef(keys);
  keysRef.current = keys;

  // Rows leave the list when a colleague acts or a filter changes: forget them. (`keys` is memoised on
  // the query data, so this runs per page or refetch, not per render.)
  useEffect(() => {
    setState((current) => pruneSelection(current, keys));
  }, [keys]);

  const announce = useCallback((message: string) => {
    // Re-announce the same text too: screen readers only speak a changed live region.
    setAnnouncement((current) => (current === message ? `${message}\u00a0` : message));
  }, []);

  const toggle = useCallback((index: number, isRange: boolean) => {
    setState((current) => toggleRow(current, keysRef.current, index, isRange));
  }, []);
  const toggleEvery = useCallback(() => {
    setState((current) => toggleAll(current, keysRef.current));
  }, []);
  const move = useCallback((delta: number) => {
    setState((current) => moveFocus(current, keysRef.current.length, delta));
  }, []);
  const focusRow = useCallback((index: number) => {
    setState((current) => ({ ...current, focus: index }));
  }, []);
  const clear = useCallback(() => {
    setState((current) => clearSelection(current));
  }, []);
  const keep = useCallback((selected: readonly string[]) => {
    setState((current) => ({ ...current, selected: new Set(selected) }));
  }, []);

  return { state, toggle, toggleEvery, move, focusRow, clear, keep, announcement, announce };
}

/**
 * Listens for the grid's shortcuts on the whole page while `isEnabled`, so they work wherever the focus is
 * except in text fields and while a dialog (drawer, modal) is open: it owns the keyboard then.
 */
export function useGridShortcuts(isEnabled: boolean, onCommand: (command: GridCommand) => void) {
  const handler = useRef(onCommand);
  handler.current = onCommand;
  useEffect(() => {
    if (!isEnabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('[role="dialog"]') !== null) return;
      const command = commandFor(event);
      if (command === null) return;
      // Enter and Escape on a button or link keep their own meaning.
      const target = event.target instanceof HTMLElement ? event.target : null;
      if ((command === 'open' || command === 'escape') && target?.closest('button, a, [role="tab"]')) return;
      event.preventDefault();
      handler.current(command);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [isEnabled]);
}
