import { describe, expect, test } from 'vitest';
import { addDays, clampedDay, daysInclusive, fromDay, isIsoDate, toDay } from './dates';

describe('calendar dates', () => {
  test('day numbers round-trip and match the Unix epoch', () => {
    expect(toDay('1970-01-01')).toBe(0);
    expect(toDay('2000-03-01')).toBe(11017);
    for (const date of ['1999-12-31', '2028-02-29', '2100-02-28', '2400-02-29', '0001-01-01', '9999-12-31']) {
      expect(fromDay(toDay(date))).toBe(date);
    }
  });

  test('refuses impossible dates', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  test('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysInclusive('2026-01-15', '2026-01-31')).toBe(17);
  });

  test('clamps a billing day to the end of a shorter month', () => {
    expect(fromDay(clampedDay(2026, 1, 31))).toBe('2026-02-28');
    expect(fromDay(clampedDay(2028, 1, 31))).toBe('2028-02-29');
    expect(fromDay(clampedDay(2026, 3, 31))).toBe('2026-04-30');
    expect(fromDay(clampedDay(2026, 12, 15))).toBe('2027-01-15');
    expect(fromDay(clampedDay(2026, -1, 31))).toBe('2025-12-31');
  });
});
