/**
 * Row focus and selection of a results grid, as plain data: the grid's rows are identified by key, in the
 * order loaded. Kept apart from React so the shift-click and keyboard rules are tested directly.
 */
export interface GridSelection {
  readonly selected: ReadonlySet<string>;
  /** The row the last plain toggle was on: the start of the next shift-click range. */
  readonly anchor: string | null;
  /** Index of the row with the keyboard focus, -1 before any. */
  readonly focus: number;
}

export const emptySelection: GridSelection = { selected: new Set(), anchor: null, focus: -1 };

/**
 * Toggles the row at `index`. With `isRange` (shift) and an anchor still loaded, every row between the
 * anchor and this one takes the clicked row's new state, as in a file manager.
 */
export function toggleRow(
  state: GridSelection,
  keys: readonly string[],
  index: number,
  isRange = false,
): GridSelection {
  const key = keys[index];
  if (key === undefined) return state;
  const selected = new Set(state.selected);
  const willSelect = !selected.has(key);
  const anchorIndex = state.anchor === null ? -1 : keys.indexOf(state.anchor);
  if (isRange && anchorIndex >= 0) {
    const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
    for (const rangeKey of keys.slice(from, to + 1)) {
      if (willSelect) selected.add(rangeKey);
      else selected.delete(rangeKey);
    }
    return { selected, anchor: state.anchor, focus: index };
  }
  if (willSelect) selected.add(key);
  else selected.delete(key);
  return { selected, anchor: key, focus: index };
}

/** Selects every loaded row, or clears the selection when all of them already are. */
export function toggleAll(state: GridSelection, keys: readonly string[]): GridSelection {
  const isAll = keys.length > 0 && keys.every((key) => state.selected.has(key));
  return { ...state, selected: isAll ? new Set() : new Set(keys) };
}

export function clearSelection(state: GridSelection): GridSelection {
  return { ...state, selected: new Set(), anchor: null };
}

/** Moves the focus by `delta` rows, staying within the loaded rows. */
export function moveFocus(state: GridSelection, rowCount: number, delta: number): GridSelection {
  if (rowCount === 0) return { ...state, focus: -1 };
  const start = state.focus < 0 ? (delta > 0 ? -1 : rowCount) : state.focus;
  return { ...state, focus: Math.min(rowCount - 1, Math.max(0, start + delta)) };
}

/**
 * Forgets selected rows that are no longer listed (a colleague confirmed them, a filter changed) and keeps
 * the focus on a loaded row, so an action never reaches a row the person cannot see.
 */
export function pruneSelection(state: GridSelection, keys: readonly string[]): GridSelection {
  const listed = new Set(keys);
  const kept = [...state.selected].filter((key) => listed.has(key));
  const focus = Math.min(state.focus, keys.length - 1);
  if (kept.length === state.selected.size && focus === state.focus) return state;
  return { ...state, selected: new Set(kept), focus };
}

/** What an action applies to: the selected rows in list order, else the focused row. */
export function actionTargets(state: GridSelection, keys: readonly string[]): string[] {
  if (state.selected.size > 0) return keys.filter((key) => state.selected.has(key));
  const focused = keys[state.focus];
  return focused === undefined ? [] : [focused];
}
