import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';

/**
 * Puts an API error next to the field it concerns (error.param), or above the form when it names no field
 * the form shows. `fieldError('lines[0].quantity')` gives the message for that input.
 */
export function useFieldErrors(knownParams?: readonly string[]) {
  const [state, setState] = useState<{ param: string | null; message: string } | null>(null);

  const setError = useCallback((err: unknown) => {
    if (err instanceof ApiError) setState({ param: err.param, message: err.message });
    else setState({ param: null, message: err instanceof Error ? err.message : String(err) });
  }, []);

  const clear = useCallback(() => setState(null), []);

  const fieldError = (param: string): string | undefined =>
    state?.param && concerns(state.param, param) ? state.message : undefined;

  const shownByField = !!state?.param && (!knownParams || knownParams.some((p) => concerns(state.param!, p)));
  const formError = state && !shownByField ? state.message : null;

  return { fieldError, formError, setError, clear, error: state };
}

/** 'lines[2].quantity' concerns the field 'lines[2].quantity', and also 'lines[2]' and 'lines'. */
function concerns(errorParam: string, field: string): boolean {
  return errorParam === field || errorParam.startsWith(`${field}.`) || errorParam.startsWith(`${field}[`);
}
