import { notificationsStore } from '@mantine/notifications';
import { act } from '@testing-library/react';

/**
 * For tests of the project's live channel: the outside world, a browser WebSocket the test drives by
 * hand. Every socket the code under test opens is kept in `all`; reset it before each test.
 */
export class FakeSocket {
  static all: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    act(() => this.onopen?.());
  }
  receive(message: object): void {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
  drop(code: number): void {
    act(() => this.onclose?.({ code }));
  }
}

/** The titles of the notifications shown or queued, in order: what the live channel told the person. */
export function notificationTitles(): string[] {
  const state = notificationsStore.getState();
  return [...state.notifications, ...state.queue].map((n) => (typeof n.title === 'string' ? n.title : ''));
}
