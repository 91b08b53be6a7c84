import { Anchor, type AnchorProps } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../lib/router';

/** An in-app link: a real href (open in new tab works), navigation without a reload. */
export function Link({ to, children, ...props }: { to: string; children: ReactNode } & AnchorProps) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <Anchor href={to} onClick={onClick} {...props}>
      {children}
    </Anchor>
  );
}

/** Click handler for buttons and rows that navigate. */
export function go(to: string) {
  return (e?: MouseEvent) => {
    if (e && (e.metaKey || e.ctrlKey)) {
      window.open(to, '_blank');
      return;
    }
    navigate(to);
  };
}
