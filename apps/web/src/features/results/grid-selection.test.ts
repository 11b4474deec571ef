import { describe, expect, it } from 'vitest';
import {
  actionTargets,
  clearSelection,
  emptySelection,
  moveFocus,
  pruneSelection,
  toggleAll,
  toggleRow,
} from './grid-selection';

const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
const selected = (state: { selected: ReadonlySet<string> }) => [...state.selected].sort();

describe('grid selection', () => {
  it('toggles one row and remembers it as the anchor', () => {
    const once = toggleRow(emptySelection, keys, 1);
    expect(selected(once)).toEqual(['b']);
    expect(once).toMatchObject({ anchor: 'b', focus: 1 });
    expect(selected(toggleRow(once, keys, 1))).toEqual([]);
  });

  it('selects the range from the anchor on shift, in either direction', () => {
    const down = toggleRow(toggleRow(emptySelection, keys, 1), keys, 4, true);
    expect(selected(down)).toEqual(['b', 'c', 'd', 'e']);
    const up = toggleRow(toggleRow(emptySelection, keys, 4), keys, 2, true);
    expect(selected(up)).toEqual(['c', 'd', 'e']);
  });

  it('unselects a range when the shift-clicked row was selected', () => {
    const all = toggleAll(emptySelection, keys);
    const anchored = toggleRow(all, keys, 0);
    expect(selected(toggleRow(anchored, keys, 3, true))).toEqual(['e', 'f']);
  });

  it('treats shift without an anchor (or a vanished one) as a plain toggle', () => {
    expect(selected(toggleRow(emptySelection, keys, 3, true))).toEqual(['d']);
    const stale = { ...emptySelection, anchor: 'zz' };
    expect(selected(toggleRow(stale, keys, 2, true))).toEqual(['c']);
  });

  it('selects every loaded row, and clears when all were selected', () => {
    const all = toggleAll(emptySelection, keys);
    expect(selected(all)).toEqual(keys);
    expect(selected(toggleAll(all, keys))).toEqual([]);
    expect(selected(toggleAll(toggleRow(emptySelection, keys, 0), keys))).toEqual(keys);
    expect(selected(clearSelection(all))).toEqual([]);
  });

  it('moves the focus within the rows, starting at the first going down and the last going up', () => {
    expect(moveFocus(emptySelection, 6, 1).focus).toBe(0);
    expect(moveFocus(emptySelection, 6, -1).focus).toBe(5);
    expect(moveFocus({ ...emptySelection, focus: 5 }, 6, 1).focus).toBe(5);
    expect(moveFocus({ ...emptySelection, focus: 0 }, 6, -1).focus).toBe(0);
    expect(moveFocus({ ...emptySelection, focus: 3 }, 0, 1).focus).toBe(-1);
  });

  it('forgets rows that left the list and keeps the focus on a listed row', () => {
    const state = { selected: new Set(['a', 'c', 'f']), anchor: 'c', focus: 5 };
    const pruned = pruneSelection(state, ['a', 'b', 'c']);
    expect(selected(pruned)).toEqual(['a', 'c']);
    expect(pruned.focus).toBe(2);
    expect(pruneSelection(pruned, ['a', 'b', 'c'])).toBe(pruned);
  });

  it('acts on the selection in list order, else on the focused row', () => {
    const state = { selected: new Set(['e', 'a']), anchor: null, focus: 2 };
    expect(actionTargets(state, keys)).toEqual(['a', 'e']);
    expect(actionTargets({ ...state, selected: new Set() }, keys)).toEqual(['c']);
    expect(actionTargets(emptySelection, keys)).toEqual([]);
  });
});
