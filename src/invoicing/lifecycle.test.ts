import { describe, expect, test } from 'vitest';
import { dec } from '../money/money';
import type { DomainError } from '../platform/errors';
import {
  amountDue,
  assertCanReceive,
  assertPostable,
  assertVoidable,
  overdue,
  paymentStatus,
  postingDates,
  statusAfterBalanceChange,
} from './lifecycle';

const open = { total: '100.00', amountPaid: '0', amountCredited: '0', amountWrittenOff: '0' };

describe('invoice lifecycle', () => {
  test('amount due is total less paid, credited and written off, never below zero', () => {
    expect(amountDue({ ...open, amountPaid: '30', amountCredited: '20.5', amountWrittenOff: '0.5' }, 'EUR')).toBe(
      '49.00',
    );
    expect(amountDue({ ...open, amountPaid: '130' }, 'EUR')).toBe('0.00');
  });

  test('an invoice becomes paid when nothing is due and reopens when money is taken back', () => {
    expect(statusAfterBalanceChange('posted', '0.00')).toBe('paid');
    expect(statusAfterBalanceChange('paid', '10.00')).toBe('posted');
    expect(statusAfterBalanceChange('uncollectible', '0.00')).toBe('paid');
    expect(statusAfterBalanceChange('uncollectible', '5.00')).toBe('uncollectible');
  });

  test('payment status follows what was settled', () => {
    expect(paymentStatus({ ...open, status: 'posted', amountDue: '100.00' })).toBe('unpaid');
    expect(paymentStatus({ ...open, amountPaid: '1', status: 'posted', amountDue: '99.00' })).toBe('partially_paid');
    expect(paymentStatus({ ...open, amountPaid: '100', status: 'paid', amountDue: '0.00' })).toBe('paid');
  });

  test('overdue counts whole days after the due date', () => {
    expect(overdue({ status: 'posted', amountDue: '1.00', dueDate: '2026-01-31' }, '2026-02-03')).toEqual({
      overdue: true,
      daysOverdue: 3,
    });
    expect(overdue({ status: 'posted', amountDue: '1.00', dueDate: '2026-01-31' }, '2026-01-31')).toEqual({
      overdue: false,
      daysOverdue: 0,
    });
    expect(overdue({ status: 'paid', amountDue: '0.00', dueDate: '2026-01-01' }, '2026-02-03').overdue).toBe(false);
  });

  test('posting dates default to today and the payment terms', () => {
    expect(postingDates({ issueDate: null, dueDate: null }, 14, '2026-02-20')).toEqual({
      issueDate: '2026-02-20',
      dueDate: '2026-03-06',
    });
    expect(postingDates({ issueDate: '2026-01-10', dueDate: '2026-01-11' }, 30, '2026-02-20')).toEqual({
      issueDate: '2026-01-10',
      dueDate: '2026-01-11',
    });
  });

  test('refusals carry a code that says why', () => {
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return (e as DomainError).code;
      }
      return null;
    };
    expect(code(() => assertPostable({ status: 'draft', lines: [], total: '0' }))).toBe('invoice_empty');
    expect(code(() => assertPostable({ status: 'draft', lines: [{}], total: '-1.00' }))).toBe('invoice_total_negative');
    expect(code(() => assertPostable({ status: 'posted', lines: [{}], total: '1.00' }))).toBe('invoice_not_draft');
    expect(code(() => assertVoidable({ ...open, amountPaid: '1', status: 'posted' }))).toBe('invoice_has_activity');
    expect(
      code(() => assertCanReceive({ status: 'posted', amountDue: '10.00', number: 'INV-1' }, dec('10.01'), 'amount')),
    ).toBe('allocation_exceeds_amount_due');
    expect(
      code(() => assertCanReceive({ status: 'void', amountDue: '0.00', number: 'INV-1' }, dec('1'), 'amount')),
    ).toBe('invoice_not_open');
  });
});
