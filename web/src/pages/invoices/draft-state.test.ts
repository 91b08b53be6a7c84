import { describe, expect, test } from 'vitest';
import { type DraftState, editorParam, emptyLine, patchFromDraft } from './draft-state';

const draft = (lines: DraftState['lines']): DraftState => ({
  customer: 'cus_1',
  issue_date: '',
  due_date: '',
  payment_terms_days: '',
  tax_behavior: 'exclusive',
  po_number: '',
  buyer_reference: '',
  notes: '',
  footer: '',
  lines,
});

describe('the draft editor body', () => {
  test('sends lines that can be priced, exactly as typed, and remembers which row each is', () => {
    const a = { ...emptyLine('txr_1'), description: 'Work', quantity: '1.5', unit_price: '99.999999' };
    const blank = emptyLine('txr_1');
    const b = { ...emptyLine('txr_1'), product: 'prod_1', quantity: '2' };
    const { body, sentKeys } = patchFromDraft(draft([a, blank, b]));
    expect(body.lines).toHaveLength(2);
    expect(body.lines?.[0]).toMatchObject({ description: 'Work', quantity: '1.5', unit_price: '99.999999' });
    expect(sentKeys).toEqual([a.key, b.key]);
    expect(body.issue_date).toBeNull();
  });

  test("the server's line index maps back to the editor row", () => {
    expect(editorParam('lines[1].quantity', ['k1', 'k3'])).toBe('line:k3.quantity');
    expect(editorParam('customer', ['k1'])).toBe('customer');
  });
});
