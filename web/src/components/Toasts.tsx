import { Notification, Stack } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { useIsMobile } from '../lib/use-mobile';

interface Toast {
  id: number;
  message: string;
  color: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

/** A short confirmation after an action (Mantine's notifications package is not installed: this is enough). */
export function toast(message: string, color = 'green'): void {
  const id = nextId++;
  toasts = [...toasts, { id, message, color }];
  emit();
  setTimeout(() => dismiss(id), 4000);
}

function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
  );
  // At phone width the bottom of the screen holds actions (the editor's Post bar): toasts go under the header.
  const mobile = useIsMobile();
  return (
    <Stack
      gap="xs"
      style={{
        position: 'fixed',
        ...(mobile ? { top: 64 } : { bottom: 16 }),
        right: 16,
        left: 16,
        zIndex: 1000,
        pointerEvents: 'none',
      }}
      align="flex-end"
    >
      {list.map((t) => (
        <Notification
          key={t.id}
          color={t.color}
          onClose={() => dismiss(t.id)}
          style={{ pointerEvents: 'auto', maxWidth: 420, width: '100%' }}
          role="status"
        >
          {t.message}
        </Notification>
      ))}
    </Stack>
  );
}
