import { useMediaQuery } from '@mantine/hooks';

/** Phone width (below Mantine's `sm`, 48em): lists become cards. */
export function useIsMobile(): boolean {
  return useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false }) ?? false;
}
