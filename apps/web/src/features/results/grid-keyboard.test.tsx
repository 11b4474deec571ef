import { MantineProvider, TextInput } from '@mantine/core';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { GridCommand } from './grid-keys';
import { commandFor, isTypingTarget } from './grid-keys';
import { actionTargets } from './grid-selection';
import { giveElementsHeight } from './jsdom-layout';
import { useGridSelection, useGridShortcuts } from './use-grid-controls';
import type { Column } from './virtual-table';
import { VirtualTable } from './virtual-table';

interface Row {
  id: string;
  reference: string;
}
const ROWS: Row[] = Array.from({ length: 8 }, (_, index) => ({
  id: String(index + 1),
  reference: `REF-${index + 1}`,
}));
const COLUMNS: Column<Row>[] = [
  { key: 'ref', header: 'Reference', width: '1fr', render: (row) => row.reference },
];
const keys = ROWS.map((row) => row.id);

/** The grids' wiring in miniature: the real selection hook, shortcuts and table, over fixed rows. */
function Harness({ onOpen, onAct }: { onOpen: (row: Row) => void; onAct: (ids: string[]) => void }) {
  const grid = useGridSelection(keys);
  const onCommand = (command: GridCommand) => {
    if (command === 'down') grid.move(1);
    else if (command === 'up') grid.move(-1);
    else if (command === 'toggle') grid.toggle(grid.state.focus, false);
    else if (command === 'select_all') grid.toggleEvery();
    else if (command === 'escape') grid.clear();
    else if (command === 'open') {
      const row = ROWS[grid.state.focus];
      if (row) onOpen(row);
    } else if (command === 'confirm') onAct(actionTargets(grid.state, keys));
  };
  useGridShortcuts(true, onCommand);
  return (
    <MantineProvider>
      <TextInput aria-label="Search" />
      <VirtualTable
        label="Matches"
        rows={ROWS}
        columns={COLUMNS}
        getKey={(row) => row.id}
        onRowClick={onOpen}
        hasMore={false}
        isFetchingMore={false}
        onLoadMore={() => undefined}
        focusIndex={grid.state.focus}
        onFocusRow={grid.focusRow}
        selection={{
          selected: grid.state.selected,
          onToggle: grid.toggle,
          onToggleAll: grid.toggleEvery,
          describe: (index) => `match ${keys[index] ?? ''}`,
        }}
      />
    </MantineProvider>
  );
}

function setup() {
  const onOpen = vi.fn<(row: Row) => void>();
  const onAct = vi.fn<(ids: string[]) => void>();
  render(<Harness onOpen={onOpen} onAct={onAct} />);
  const checkbox = (id: string) =>
    screen.getByRole<HTMLInputElement>('checkbox', { name: `Select match ${id}` });
  return { onOpen, onAct, checkbox, user: userEvent.setup() };
}

giveElementsHeight();

const focusedRow = () => document.querySelector('.recon-vtable-row.is-focused');

// Mantine and user-event are slow under jsdom on a busy machine; the default 5 s is too tight.
describe('results grid keyboard and selection', { timeout: 30_000 }, () => {
  it('moves the focus with j/k and arrows, selects with x and opens with Enter', async () => {
    const { onOpen, checkbox, user } = setup();
    await user.keyboard('jj');
    expect(focusedRow()?.textContent).toContain('REF-2');
    await user.keyboard('{ArrowDown}k{ArrowUp}{ArrowDown}');
    expect(focusedRow()?.textContent).toContain('REF-2');
    await user.keyboard('x');
    expect(checkbox('2').checked).toBe(true);
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(ROWS[1]);
  });

  it('acts on the selection, or on the focused row when nothing is selected', async () => {
    const { onAct, user } = setup();
    await user.keyboard('jjj');
    await user.keyboard('c');
    expect(onAct).toHaveBeenLastCalledWith(['3']);
    await user.keyboard('xjx');
    await user.keyboard('c');
    expect(onAct).toHaveBeenLastCalledWith(['3', '4']);
    await user.keyboard('{Escape}c');
    expect(onAct).toHaveBeenLastCalledWith(['4']);
  });

  it('selects a range with shift-click and everything loaded with a', async () => {
    const { checkbox, user } = setup();
    await user.click(checkbox('2'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('5'));
    await user.keyboard('{/Shift}');
    expect(keys.filter((id) => checkbox(id).checked)).toEqual(['2', '3', '4', '5']);
    await user.keyboard('a');
    expect(keys.every((id) => checkbox(id).checked)).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Select all loaded rows' }));
    expect(keys.some((id) => checkbox(id).checked)).toBe(false);
  });

  it('leaves letters alone while typing in a field', async () => {
    const { onAct, user } = setup();
    await user.click(screen.getByRole('textbox', { name: 'Search' }));
    await user.keyboard('jxc');
    expect(focusedRow()).toBeNull();
    expect(onAct).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Search' }).value).toBe('jxc');
  });

  it('clicking a row opens it and puts the focus there', async () => {
    const { onOpen, user } = setup();
    await user.click(screen.getByText('REF-6'));
    expect(onOpen).toHaveBeenCalledWith(ROWS[5]);
    expect(focusedRow()?.textContent).toContain('REF-6');
  });

  it('ignores shortcuts while a dialog is open', () => {
    const { onAct } = setup();
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    document.body.append(dialog);
    act(() => {
      fireEvent.keyDown(document.body, { key: 'c' });
    });
    dialog.remove();
    expect(onAct).not.toHaveBeenCalled();
  });
});

describe('shortcut keys', () => {
  const press = (key: string, target: EventTarget | null = document.body, mods = {}) =>
    commandFor({ key, ctrlKey: false, metaKey: false, altKey: false, target, ...mods });

  it('maps keys to commands and leaves modified keys to the browser', () => {
    expect(press('j')).toBe('down');
    expect(press('ArrowUp')).toBe('up');
    expect(press('?')).toBe('help');
    expect(press('u')).toBe('unmatch');
    expect(press('c', document.body, { ctrlKey: true })).toBeNull();
    expect(press('q')).toBeNull();
  });

  it('knows text fields from checkboxes', () => {
    const text = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    const combo = document.createElement('div');
    combo.setAttribute('role', 'combobox');
    expect(isTypingTarget(text)).toBe(true);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(combo)).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(press('x', box)).toBe('toggle');
  });
});
