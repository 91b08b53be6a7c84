import { readFile } from 'node:fs/promises';
import path from 'node:path';
// @ts-expect-error saxon-js ships no typings
import SaxonJS from 'saxon-js';

// Runs the official compiled Schematron rules (../shared/en16931/validation, see its README) with SaxonJS.
// Each rule file is loaded once per test file (per process) and reused.

const DIR = process.env.EN16931_RULES ?? path.resolve(__dirname, '../../../shared/en16931/validation');
export type RuleSet = 'en16931-ubl' | 'en16931-cii' | 'peppol-ubl';

export interface FailedRule {
  id: string;
  flag: string;
  location: string;
  text: string;
}

const loaded = new Map<RuleSet, Promise<unknown>>();

function stylesheet(rules: RuleSet): Promise<unknown> {
  let sef = loaded.get(rules);
  if (!sef) {
    const file = path.join(DIR, `${rules}.sef.json`);
    sef = readFile(file, 'utf8').then((text) => JSON.parse(text) as unknown);
    loaded.set(rules, sef);
  }
  return sef;
}

function attribute(tag: string, name: string): string {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
}

/** Every failed assertion of one rule set on one document. */
export async function failedRules(rules: RuleSet, xml: string): Promise<FailedRule[]> {
  const out = await SaxonJS.transform(
    { stylesheetInternal: await stylesheet(rules), sourceText: xml, destination: 'serialized' },
    'async',
  );
  const svrl: string = out.principalResult;
  const failures: FailedRule[] = [];
  for (const match of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const tag = match[1] ?? '';
    const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(match[2] ?? '')?.[1]?.trim() ?? '';
    failures.push({
      id: attribute(tag, 'id'),
      flag: attribute(tag, 'flag'),
      location: attribute(tag, 'location'),
      text,
    });
  }
  return failures;
}

/** The ids of the fatal rules a document breaks, sorted and unique. */
export async function fatalRules(rules: RuleSet[], xml: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const set of rules) for (const f of await failedRules(set, xml)) if (f.flag === 'fatal') ids.add(f.id);
  return [...ids].sort();
}
